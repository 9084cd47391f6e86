"""The data protection app reads every domain app, so it sits above them all (config >
dataprotection > evaluation > engagement > problems > partnerships > accounts > core): no module of
a lower app imports it (DESIGN.md section 3: dependencies run one way)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOWER_APPS = ("core", "accounts", "partnerships", "problems", "engagement", "evaluation")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_lower_app_imports_the_data_protection_app() -> None:
    offenders = sorted(
        str(path.relative_to(ROOT))
        for app in LOWER_APPS
        for path in (ROOT / app).rglob("*.py")
        if any(name == "dataprotection" or name.startswith("dataprotection.") for name in _imports(path))
    )
    assert offenders == []
