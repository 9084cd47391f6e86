"""A mail backend for the reminder workers' tests: the file backend (one file per message, which
the test reads back), made slow or stopped on purpose, so that what a busy or failing mail server
does happens the same way on any machine.

OPTIONS, besides the file backend's `file_path`:
- `delay`: seconds each message takes before it is delivered (written);
- `hold_at`: the n-th message this process sends (1 is the first) is not delivered until the
  test says so: the backend writes `held-<pid>` (holding the message's reminder id) in
  `control_dir`, then waits for `release-<pid>` there. A test kills the worker, or cuts its
  database connection, while it waits, and knows exactly which email had not gone yet."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

from core.reminders import REMINDER_HEADER

_sent_by_this_process = 0


class SlowEmailBackend(FileEmailBackend):
    def __init__(
        self,
        *args: Any,
        delay: float = 0.0,
        hold_at: int | None = None,
        control_dir: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.delay = delay
        self.hold_at = hold_at
        self.control_dir = Path(control_dir) if control_dir else None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        global _sent_by_this_process
        for message in email_messages:
            _sent_by_this_process += 1
            if self.hold_at is not None and self.control_dir and _sent_by_this_process == self.hold_at:
                self._hold(message)
            if self.delay:
                time.sleep(self.delay)  # the slow mail server itself, not a wait in a test
        return super().send_messages(email_messages)

    def _hold(self, message: EmailMessage) -> None:
        assert self.control_dir is not None
        pid = os.getpid()
        (self.control_dir / f"held-{pid}").write_text(str(message.extra_headers.get(REMINDER_HEADER, "")))
        release = self.control_dir / f"release-{pid}"
        while not release.exists():
            time.sleep(0.05)  # until the test releases it (or kills this process)
