"""Load the demo data: each installed app's `demo.seed()` in INSTALLED_APPS (dependency) order,
then each app's `demo.seed_records()` where it has one. The first pass sets up organisations and
people; the second adds records that refer to people of any app (a handover, a signature).

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
        modules = [
            import_module(f"{config.name}.demo")
            for config in apps.get_app_configs()
            if find_spec(f"{config.name}.demo") is not None
        ]
        with transaction.atomic():
            for module in modules:
                module.seed(stdout=self.stdout)
            for module in modules:
                if hasattr(module, "seed_records"):
                    module.seed_records(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
