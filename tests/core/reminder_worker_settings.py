"""Settings of the Celery worker processes the reminder tests start: the test settings, with emails
written as files to a folder the test names (the test process cannot see a worker's locmem outbox)."""

from __future__ import annotations

import os

from config.settings.test import *  # noqa: F403

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": os.environ["REMINDER_TEST_MAIL_DIR"]},
    }
}
