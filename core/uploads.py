"""Checking an uploaded file before it is stored: what it is (by its content, never its name or the
browser's word), that its name says the same, that it is not something else as well (a polyglot),
and that an Office document is no archive bomb. Knows no domain app: a service names the kinds it
accepts and puts the refusal on its form field.

Nothing here inflates an archive: Office documents are judged by their zip central directory
(names and declared sizes), and the stored file is served back byte for byte, never unpacked."""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class FileKind:
    content_type: str
    description: str  # as it reads in a sentence: "a PDF"
    extensions: tuple[str, ...]  # the endings a file of this kind may have, in lower case


PDF = FileKind("application/pdf", "a PDF", (".pdf",))
PNG = FileKind("image/png", "a PNG image", (".png",))
JPEG = FileKind("image/jpeg", "a JPEG image", (".jpg", ".jpeg"))
GIF = FileKind("image/gif", "a GIF image", (".gif",))
# A legacy Word, Excel or PowerPoint file: the OLE2 container does not say which.
LEGACY_OFFICE = FileKind("application/vnd.ms-office", "an older Office document", (".doc", ".xls", ".ppt"))
WORD = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word document", (".docx",)
)
EXCEL = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "an Excel workbook", (".xlsx",))
POWERPOINT = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "a PowerPoint presentation",
    (".pptx",),
)
# Office Open XML: a zip holding [Content_Types].xml and a part under one of these folders.
OOXML_KINDS = {"word/": WORD, "xl/": EXCEL, "ppt/": POWERPOINT}
IMAGE_KINDS = (PNG, JPEG, GIF)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

FILE_NAME_REORDERS_TEXT = (
    "The file name contains a hidden character that changes the direction of the text, which can "
    "disguise what kind of file it is. Rename the file and upload it again."
)
FILE_NAME_CONTROL_CHARACTER = (
    "The file name contains a control or invisible character. Rename the file and upload it again."
)
FILE_NAME_ENDING_NOT_ALLOWED = "The file name must end in {endings}. “{name}” does not."
FILE_NAME_DOES_NOT_MATCH = (
    "“{name}” is {kind} by its content, but its name ends in {ending}. "
    "Give it the right ending ({right}) or choose the file you meant."
)
FILE_IS_ALSO_ANOTHER_KIND = (
    "The file is {kind} that also holds {other}, so it could be opened as something else. "
    "Save it again from the program that made it and upload that copy."
)
ARCHIVE_TOO_MANY_PARTS = "The document holds more than {limit:,} parts, more than any real Office document."
ARCHIVE_UNPACKS_TOO_LARGE = "The document would unpack to more than {limit}, more than any real Office document."
ARCHIVE_UNREADABLE = "The document is damaged and cannot be read. Save it again and upload that copy."

# Characters that reorder text on screen (Unicode bidirectional controls and marks): the classic
# trick shows "invoice<U+202E>fdp.exe" as "invoiceexe.pdf".
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)] + [chr(c) for c in range(0x2066, 0x206A)] + ["\u200e", "\u200f", "\u061c"]
)
# Control (Cc), invisible format (Cf), surrogate (Cs) and line or paragraph separator characters.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})

# How much of a file a browser reads to guess its type (WHATWG MIME Sniffing, "resource header").
SNIFFED_BYTES = 1445
# Markup or script that makes a sniffer or a script engine take a file for a web page. Long enough
# that compressed data does not hold one by chance (and `<?xml`, which Office parts begin with,
# is not among them).
MARKUP_MARKERS = (
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<frame",
    b"<svg",
    b"<object",
    b"<embed",
    b"<img",
    b"<style",
    b"<meta",
    b"<a href",
    b"<?php",
    b"javascript:",
)
# Bytes a script can be made of: printable ASCII, the whitespace characters, and any byte above
# 0x7F (a page may load the file as a windows-1252 script, where most of those are letters).
SCRIPT_TEXT_BYTES = frozenset(range(0x20, 0x7F)) | frozenset(range(0x09, 0x0E)) | frozenset(range(0x80, 0x100))
SCAN_CHUNK_BYTES = 1024 * 1024


def _read_at(uploaded_file: IO[bytes], offset: int, size: int) -> bytes:
    uploaded_file.seek(offset)
    data = uploaded_file.read(size)
    uploaded_file.seek(0)
    return data


# --- the name ------------------------------------------------------------------------------------


def file_name_problem(name: str) -> str | None:
    """Why the name cannot be kept as given, or None. Hidden characters are refused, not removed:
    a name that needed them was made to mislead, and whoever sent it should see that it was."""
    if any(char in BIDI_CONTROLS for char in name):
        return FILE_NAME_REORDERS_TEXT
    if any(unicodedata.category(char) in HIDDEN_CATEGORIES for char in name):
        return FILE_NAME_CONTROL_CHARACTER
    return None


def _ending(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot and stem.strip() else ""


# --- the content ---------------------------------------------------------------------------------


def _ooxml_kind(uploaded_file: IO[bytes]) -> FileKind | None:
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        uploaded_file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in OOXML_KINDS.items():
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def file_kind_detect(uploaded_file: IO[bytes]) -> FileKind | None:
    """What the file is, judged by its first bytes (and an Office document by its parts), or None
    when it is none of the kinds known here."""
    head = _read_at(uploaded_file, 0, 16)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head.startswith(OLE2_MAGIC):
        return LEGACY_OFFICE
    if head.startswith(ZIP_MAGIC):
        return _ooxml_kind(uploaded_file)
    return None


def _archive_problem(uploaded_file: IO[bytes]) -> str | None:
    """An Office document's parts counted and their unpacked sizes added up from the zip's central
    directory (what each entry declares), without unpacking any: a zip bomb of a few kilobytes can
    declare gigabytes, and a reader that trusts the declared size stops there."""
    max_parts: int = settings.UPLOAD_ARCHIVE_MAX_ENTRIES
    max_bytes: int = settings.UPLOAD_ARCHIVE_MAX_INFLATED_BYTES
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return ARCHIVE_UNREADABLE
    finally:
        uploaded_file.seek(0)
    if len(entries) > max_parts:
        return ARCHIVE_TOO_MANY_PARTS.format(limit=max_parts)
    if sum(entry.file_size for entry in entries) > max_bytes:
        return ARCHIVE_UNPACKS_TOO_LARGE.format(limit=f"{max_bytes / (1024 * 1024):g} MB")
    return None


def _holds_markup(uploaded_file: IO[bytes], *, whole: bool) -> bool:
    """Whether the sniffed head of the file (or, with `whole`, any of it) holds markup or script."""
    if not whole:
        head = _read_at(uploaded_file, 0, SNIFFED_BYTES).lower()
        return any(marker in head for marker in MARKUP_MARKERS)
    overlap = max(len(marker) for marker in MARKUP_MARKERS) - 1
    offset, tail = 0, b""
    try:
        while True:
            uploaded_file.seek(offset)
            chunk = uploaded_file.read(SCAN_CHUNK_BYTES)
            if not chunk:
                return False
            window = (tail + chunk).lower()
            if any(marker in window for marker in MARKUP_MARKERS):
                return True
            tail, offset = window[-overlap:], offset + len(chunk)
    finally:
        uploaded_file.seek(0)


def _gif_reads_as_script(uploaded_file: IO[bytes]) -> bool:
    """A GIF begins with "GIF89a", which is also the start of a script. To run as one, the next two
    bytes (the image's width) must be script text as well: a GIF/JavaScript polyglot opens a
    comment there ("GIF89a/*") to hide the picture. A real GIF narrower than 2,304 pixels cannot
    have such a width (its high byte is below 0x09), so nothing real is refused."""
    width = _read_at(uploaded_file, 6, 2)
    return len(width) == 2 and all(byte in SCRIPT_TEXT_BYTES for byte in width)


def _is_also_zip(uploaded_file: IO[bytes]) -> bool:
    """Whether a file of another kind carries a zip archive too (a GIF with a Java archive
    appended, a PDF with a zip at its end): zip readers start from the end of a file."""
    try:
        return zipfile.is_zipfile(uploaded_file)
    finally:
        uploaded_file.seek(0)


def _other_kind_held(uploaded_file: IO[bytes], kind: FileKind) -> str | None:
    """What else the file would be taken for besides `kind`, or None. The sniffed head of every
    file must hold no markup; images none anywhere (markup never belongs in picture data)."""
    if _holds_markup(uploaded_file, whole=kind in IMAGE_KINDS):
        return "web page code"
    if kind is GIF and _gif_reads_as_script(uploaded_file):
        return "script code"
    if kind not in OOXML_KINDS.values() and _is_also_zip(uploaded_file):
        return "a zip archive"
    return None


# --- the whole check -----------------------------------------------------------------------------


def upload_check(uploaded_file: IO[bytes], *, name: str, kinds: Collection[FileKind], not_allowed: str) -> FileKind:
    """The kind of an uploaded file named `name`, if it is one of `kinds` and passes every check;
    otherwise a ValidationError with one message saying what to do (`not_allowed` when it is no
    kind accepted here)."""
    problem = file_name_problem(name)
    if problem:
        raise ValidationError(problem)
    kind = file_kind_detect(uploaded_file)
    if kind is None or kind not in kinds:
        raise ValidationError(not_allowed)
    if kind in OOXML_KINDS.values():
        problem = _archive_problem(uploaded_file)
        if problem:
            raise ValidationError(problem)
    ending = _ending(name)
    if ending not in kind.extensions:
        allowed = [extension for accepted in kinds for extension in accepted.extensions]
        if ending not in allowed:
            raise ValidationError(FILE_NAME_ENDING_NOT_ALLOWED.format(endings=", ".join(allowed), name=name))
        raise ValidationError(
            FILE_NAME_DOES_NOT_MATCH.format(
                name=name, kind=kind.description, ending=ending, right=" or ".join(kind.extensions)
            )
        )
    other = _other_kind_held(uploaded_file, kind)
    if other:
        raise ValidationError(FILE_IS_ALSO_ANOTHER_KIND.format(kind=kind.description, other=other))
    return kind
