from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rest_framework import serializers
from rest_framework.request import Request

if TYPE_CHECKING:
    from accounts.models import User


def api_user(request: Request) -> User:
    """The user an authenticated request acts as (TokenScopePermission has refused anyone else)."""
    return cast("User", request.user)


_ENTRY_SERIALIZERS: dict[str, type[serializers.Serializer[Any]]] = {}


def entries_of(entry: type[serializers.BaseSerializer[Any]], name: str) -> type[serializers.Serializer[Any]]:
    """A response of a problem's part: the entries the viewer may read, and how many are withheld
    (not covered by their organisation's share)."""
    if name not in _ENTRY_SERIALIZERS:
        _ENTRY_SERIALIZERS[name] = type(
            name,
            (serializers.Serializer,),
            {
                "results": entry(many=True),
                "withheld": serializers.IntegerField(
                    help_text="Entries not shown: their data category is not covered by the agreement."
                ),
            },
        )
    return _ENTRY_SERIALIZERS[name]
