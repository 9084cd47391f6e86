"""Forms: uploading a data.police.uk file, and a unit cost of crime. Parsing and field checks only."""

from __future__ import annotations

import codecs
import csv
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from evaluation.models import POLICE_CSV_HEADER
from evaluation.services.crime_import import WRONG_HEADER, expected_header

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
FILE_REQUIRED = "Choose a data.police.uk street-level CSV file."
FILE_TOO_LARGE = "The file is larger than 200 MB. Split it by month, or import it with the import_police_csv command."
NOT_CSV = "The file is not a CSV text file: choose a data.police.uk street-level file (it ends in -street.csv)."
SNIFF_BYTES = 64 * 1024


class CrimeUploadForm(forms.Form):
    file = forms.FileField(
        label="Street-level crime file (CSV)",
        help_text="A data.police.uk street-level file, up to 200 MB. Rows already imported are not added again.",
        error_messages={"required": FILE_REQUIRED, "empty": NOT_CSV},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE)
        upload.seek(0)
        head = upload.read(SNIFF_BYTES)
        upload.seek(0)
        # The content, not the name, decides: UTF-8 text with no NUL byte whose first line is CSV.
        try:
            text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        except UnicodeDecodeError as error:
            raise forms.ValidationError(NOT_CSV) from error
        if "\x00" in text or not text.strip():
            raise forms.ValidationError(NOT_CSV)
        first_line = text.splitlines()[0]
        header = next(csv.reader([first_line]), [])
        if [field.strip() for field in header] != list(POLICE_CSV_HEADER):
            raise forms.ValidationError(WRONG_HEADER.format(expected=expected_header()))
        return upload


class UnitCostForm(forms.Form):
    crime_type = forms.CharField(widget=forms.HiddenInput, max_length=80)
    cost = forms.DecimalField(
        label="Cost of one crime (£)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    source = forms.CharField(label="Source", required=False, max_length=255)
    year = forms.IntegerField(label="Price year", required=False, min_value=1990, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Several of these forms share a page: each row's fields get ids of their own.
        crime_type = self.initial.get("crime_type") or (self.data.get("crime_type") if self.data else "")
        self.label_suffix = ""
        self.auto_id = f"id_{_slug(str(crime_type))}_%s"
        # The row's inputs sit in table cells outside its <form>: the form attribute ties them to it.
        self.form_id = f"unit-cost-{_slug(str(crime_type))}"
        for name, field in self.fields.items():
            field.widget.attrs["form"] = self.form_id
            if name != "crime_type":
                field.widget.attrs["class"] = "form-control form-control-sm"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-") or "row"
