"""Load the demo data: each installed app's `demo.seed()`, in INSTALLED_APPS (dependency) order.

Idempotent: running it again changes nothing but restoring the demo credentials. Each app owns its
demo data in `<app>/demo.py`, so later features extend the demo without touching this command.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create (or restore) the demo organisations, users and records. Safe to run repeatedly."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is None:
                    continue
                import_module(module_name).seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
