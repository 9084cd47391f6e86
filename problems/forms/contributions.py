"""Forms: updates and attachments. Parsing only; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from partnerships.models import DataCategory
from problems.forms.disclosure import data_category_field
from problems.models import DisclosurePart
from problems.services.contributions import (
    ATTACHMENT_DESCRIPTION_MAX_LENGTH,
    ATTACHMENT_FILE_REQUIRED,
    UPDATE_TEXT_MAX_LENGTH,
    UPDATE_TEXT_REQUIRED,
    UPDATE_TEXT_TOO_LONG,
)


class UpdateForm(forms.Form):
    text = forms.CharField(
        label="Update",
        help_text=(
            f"What has happened since the last update and what happens next, up to {UPDATE_TEXT_MAX_LENGTH} characters."
        ),
        max_length=UPDATE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": UPDATE_TEXT_REQUIRED, "max_length": UPDATE_TEXT_TOO_LONG},
    )
    # Made in __init__ (problems.forms.disclosure): declared here for its place on the form.
    data_category = forms.ModelChoiceField(queryset=DataCategory.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_category"] = data_category_field(DisclosurePart.UPDATE)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A PDF, an image (PNG, JPEG or GIF) or an office document (Word, Excel or PowerPoint), up to 10 MB.",
        error_messages={"required": ATTACHMENT_FILE_REQUIRED, "empty": ATTACHMENT_FILE_REQUIRED},
        allow_empty_file=True,
    )
    description = forms.CharField(
        label="Description (optional)",
        help_text="What the file is, for the people reading the problem.",
        required=False,
        max_length=ATTACHMENT_DESCRIPTION_MAX_LENGTH,
    )
    data_category = forms.ModelChoiceField(queryset=DataCategory.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["data_category"] = data_category_field(DisclosurePart.ATTACHMENT)
