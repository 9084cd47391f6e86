"""What a user still has open elsewhere in the application, for an administrator deactivating
them: later apps register a check (from their AppConfig.ready) without accounts importing them
(DESIGN.md section 3: dependencies run one way).

    register_open_work_check(open_problems_led_by)   # problems: "leads 3 open problems"

Each check takes the user and returns what it found (nothing when there is nothing open)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class OpenWork:
    description: str  # "leads 3 open problems"
    link: str  # where it is dealt with
    link_text: str


OpenWorkCheck = Callable[["User"], list[OpenWork]]

_CHECKS: list[OpenWorkCheck] = []


def register_open_work_check(check: OpenWorkCheck) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def open_work_of(user: User) -> list[OpenWork]:
    return [work for check in _CHECKS for work in check(user)]
