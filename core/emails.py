"""Emails from templates: `templates/emails/<name>_subject.txt`, `_body.txt` and `_body.html`.

Every email the application sends is built here, in plain English, with a link to the record it is
about. Sent through Django 6.1's MAILERS (the "default" mailer)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """A link for an email: the site's address (SITE_URL) and a path within it."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def email_render(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """The subject (one line), plain-text body and HTML body of the email called `name`."""
    context = {"site_url": settings.SITE_URL.rstrip("/"), **context}
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}_body.txt", context)
    html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def email_send(*, to: str, name: str, context: dict[str, Any], headers: dict[str, str] | None = None) -> None:
    """Render the email `name` and send it to one address. Raises what the mailer raises (the
    caller decides whether to retry)."""
    subject, text, html = email_render(name, context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
