"""Settings of the Celery worker processes the reminder tests start: the test settings, with emails
written as files to a folder the test names (the test process cannot see a worker's locmem outbox),
through a mail backend the test can slow down or hold (tests/core/slow_mail_backend.py)."""

from __future__ import annotations

import json
import os

from config.settings.test import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "tests.core.slow_mail_backend.SlowEmailBackend",
        "OPTIONS": {
            "file_path": os.environ["REMINDER_TEST_MAIL_DIR"],
            "delay": float(os.environ.get("REMINDER_TEST_MAIL_DELAY", "0")),
            "hold_at": int(os.environ["REMINDER_TEST_MAIL_HOLD_AT"])
            if "REMINDER_TEST_MAIL_HOLD_AT" in os.environ
            else None,
            "control_dir": os.environ.get("REMINDER_TEST_CONTROL_DIR"),
        },
    }
}
# The morning sweeps a worker makes up when it starts: none, unless the test names them (the
# other tests run their sweeps themselves).
REMINDER_SWEEP_SCHEDULE = json.loads(os.environ.get("REMINDER_TEST_SWEEP_SCHEDULE", "{}"))
