"""Running project code in a separate process, for behaviour fixed at start-up (settings, broker)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Variables a test process must not inherit from this one.
NOT_INHERITED = {"DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_python(
    *args: str, env: dict[str, str], drop: frozenset[str] = frozenset(), check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run `python <args>` from the project root with os.environ minus `drop`, plus `env`."""
    base = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED | drop}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120, check=check
    )
