"""The address of the client behind a request, for the audit log (DPA 2018 s.62: who consulted
what, from where) and the public survey's rate limit.

Behind reverse proxies REMOTE_ADDR is the nearest proxy's address. Each trusted proxy appends the
address it received the request from to X-Forwarded-For, so with N trusted proxies (the
TRUSTED_PROXY_COUNT setting) the client is the N-th entry from the right; entries further left
were written by the client and can be forged, so they are never read. With no trusted proxy (the
default) the header is ignored altogether."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    trusted = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    remote = request.META.get("REMOTE_ADDR") or None
    if trusted <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < trusted:
        return remote  # not through all the proxies we expect: keep what the socket says
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
