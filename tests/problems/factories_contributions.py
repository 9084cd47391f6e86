"""Test data for updates and attachments: small files of each allowed kind, built in memory."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from problems.models import ProblemAttachment
from problems.services.contributions import problem_attachment_add

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes() -> bytes:
    """A minimal Word document: a zip holding [Content_Types].xml and a word/ part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


def plain_zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not an office document")
    return buffer.getvalue()


def upload(name: str = "report.pdf", content: bytes = PDF_BYTES, content_type: str = "application/pdf") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def attachment(*, problem: Any, actor: Any, **kwargs: Any) -> ProblemAttachment:
    """An attachment added through the service (a PDF unless told)."""
    kwargs.setdefault("uploaded_file", upload())
    return problem_attachment_add(actor=actor, problem=problem, **kwargs)
