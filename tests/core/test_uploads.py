"""core.uploads: the rules behind the attachment checks, at their edges."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads

NOT_ALLOWED = "Not allowed here."


def _check(name: str, content: bytes) -> uploads.FileKind:
    return uploads.upload_check(
        SimpleUploadedFile(name, content), name=name, kinds=(uploads.PDF, uploads.GIF), not_allowed=NOT_ALLOWED
    )


def _gif(width: int) -> bytes:
    return b"GIF89a" + width.to_bytes(2, "little") + b"\x01\x00\x00\x00\x00;"


@pytest.mark.parametrize("width", [1, 32, 100, 640, 1920, 2303])
def test_real_gifs_of_any_usual_width_are_not_taken_for_scripts(width: int) -> None:
    assert _check("map.gif", _gif(width)) is uploads.GIF


@pytest.mark.parametrize("width_bytes", [b"/*", b"//", b"=1", b"\t;", b"\xe9/"])
def test_a_gif_whose_width_reads_as_script_is_refused(width_bytes: bytes) -> None:
    content = b"GIF89a" + width_bytes + b"\x01\x00\x00\x00\x00;"
    with pytest.raises(ValidationError) as caught:
        _check("map.gif", content)
    assert caught.value.messages == [uploads.FILE_IS_ALSO_ANOTHER_KIND.format(kind="a GIF image", other="script code")]


def test_markup_split_across_two_reads_is_found(monkeypatch: Any) -> None:
    monkeypatch.setattr(uploads, "SCAN_CHUNK_BYTES", 64)
    content = _gif(10)[:-1] + b"x" * (64 - 13 - 3) + b"<script>" + b";"
    assert content.index(b"<script>") < 64 < content.index(b"<script>") + len(b"<script>")
    with pytest.raises(ValidationError):
        _check("map.gif", content)


def test_markup_deep_in_a_pdf_is_not_a_polyglot() -> None:
    # Only the head a browser sniffs matters for a PDF: text about web pages later on is allowed.
    content = b"%PDF-1.4\n" + b"0" * uploads.SNIFFED_BYTES + b"(<html><script>) Tj\n%%EOF\n"
    assert _check("notes.pdf", content) is uploads.PDF


def test_a_kind_not_offered_gets_the_callers_message() -> None:
    with pytest.raises(ValidationError) as caught:
        _check("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert caught.value.messages == [NOT_ALLOWED]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Ward plan, final (v2).pdf", None),
        ("Café déjà vu.pdf", None),
        ("تقرير.pdf", None),
        ("invoice\u202efdp.exe", uploads.FILE_NAME_REORDERS_TEXT),
        ("report\u200b.pdf", uploads.FILE_NAME_CONTROL_CHARACTER),
        ("report\r\n.pdf", uploads.FILE_NAME_CONTROL_CHARACTER),
    ],
)
def test_file_name_problem(name: str, problem: str | None) -> None:
    assert uploads.file_name_problem(name) == problem
