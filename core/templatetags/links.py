"""`{{ problem.pk|pk_url:"problem-detail" }}`: a row's address, as `{% url "problem-detail" problem.pk %}`
gives it, from one reverse per URL configuration (core.links)."""

from __future__ import annotations

from django import template

from core.links import url_with_pk

register = template.Library()


@register.filter
def pk_url(pk: int, url_name: str) -> str:
    return url_with_pk(url_name, pk)
