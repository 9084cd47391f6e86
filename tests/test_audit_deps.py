"""bin/audit-deps (`make audit`, part of `make test`) fails on a known vulnerability in a pinned
version, and says NOT CHECKED (failing only with AUDIT_STRICT=1) when the lookup cannot be made.

pip-audit and npm audit need their services on the internet, which this test must not; so they are
replaced by scripts that print what each tool prints in its JSON format for that case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

VULNERABLE_DJANGO = {
    "dependencies": [
        {
            "name": "django",
            "version": "6.1.3",
            "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["6.1.4"], "aliases": [], "description": "..."}],
        },
        {"name": "celery", "version": "5.7.0", "vulns": []},
    ],
    "fixes": [],
}
CLEAN = {"dependencies": [{"name": "django", "version": "6.1.3", "vulns": []}], "fixes": []}
UNREACHABLE = {
    "dependencies": [{"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"}],
    "fixes": [],
}
NPM_CLEAN = {"vulnerabilities": {}, "metadata": {"vulnerabilities": {"moderate": 0, "high": 0, "critical": 0}}}
NPM_HIGH = {
    "vulnerabilities": {"bootstrap": {"severity": "high", "fixAvailable": True}},
    "metadata": {"vulnerabilities": {"moderate": 0, "high": 1, "critical": 0}},
}


def _tool(tmp_path: Path, name: str, report: dict[str, object]) -> str:
    path = tmp_path / name
    path.write_text(f"#!{sys.executable}\nprint({json.dumps(json.dumps(report))})\n")
    path.chmod(0o755)
    return str(path)


def _audit(
    tmp_path: Path, pip: dict[str, object], npm: dict[str, object], **env: str
) -> subprocess.CompletedProcess[str]:
    tools = {"PIP_AUDIT": _tool(tmp_path, "pip-audit", pip), "NPM": _tool(tmp_path, "npm", npm)}
    return subprocess.run(
        [str(ROOT / "bin" / "audit-deps")],
        env={**os.environ, **tools, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_known_python_vulnerability_fails_naming_the_fixed_version(tmp_path: Path) -> None:
    result = _audit(tmp_path, VULNERABLE_DJANGO, NPM_CLEAN)
    assert result.returncode == 1
    assert "django 6.1.3: PYSEC-2099-1 (fixed in 6.1.4)" in result.stdout


def test_a_known_npm_vulnerability_fails(tmp_path: Path) -> None:
    result = _audit(tmp_path, CLEAN, NPM_HIGH)
    assert result.returncode == 1
    assert "bootstrap (high)" in result.stdout


def test_clean_pins_pass(tmp_path: Path) -> None:
    assert _audit(tmp_path, CLEAN, NPM_CLEAN).returncode == 0


def test_an_unreachable_service_is_not_checked_and_fails_only_when_strict(tmp_path: Path) -> None:
    relaxed = _audit(tmp_path, UNREACHABLE, NPM_CLEAN)
    assert relaxed.returncode == 0
    assert "NOT CHECKED" in relaxed.stderr
    assert _audit(tmp_path, UNREACHABLE, NPM_CLEAN, AUDIT_STRICT="1").returncode == 1
