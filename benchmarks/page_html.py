"""The HTML of the load benchmark's pages, one file per page and persona, to diff two versions of
the code: a change made for speed must show the same pages (issues 19 and 23).

    LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/commonground_load \\
        .venv/bin/python benchmarks/page_html.py DIRECTORY

Run it from each checkout (a second worktree of main, say) against the same database that
`make load` built, then `diff -r -B -w BEFORE AFTER`. Each page is asked for as in
benchmarks/page_cpu.py (production settings, signed in); the CSRF tokens and CSP nonces are
replaced by fixed text. What still differs between two runs is the record of the runs themselves:
the "You viewed it N times" line and the who-has-seen table of the problem page (each request is a
consultation, DPA 2018 s.62).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (name, person, address; None: a problem that person may open)
MORE_PAGES: list[tuple[str, str, str | None]] = [
    ("partner problem", "member@council.example", None),
    ("supervisor list", "supervisor@police.example", "/problems/"),
    ("supervisor problem", "supervisor@police.example", None),
    ("lead shared", "lead@council.example", "/shared-with-us/"),
    ("officer home", "officer@police.example", "/"),
    ("partner home", "member@council.example", "/"),
    ("list filtered", "officer@police.example", "/problems/?stage=analysis&overdue=on&page=2"),
    ("list page 3", "officer@police.example", "/problems/?page=3"),
]


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    from benchmarks import page_cpu

    page_cpu._setup(os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/commonground_load"))
    from accounts.models import User
    from problems.selectors.problems import problem_list_visible_to

    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pages = page_cpu.pages()
    for name, email, path in MORE_PAGES:
        if path is None:
            person = User.objects.get(email=email)
            path = f"/problems/{problem_list_visible_to(user=person).values_list('pk', flat=True)[0]}/"
        pages.append((name, email, path))
    for name, email, path in pages:
        response = page_cpu._client(email).get(path, secure=True)
        assert response.status_code == 200, (name, path, response.status_code)
        html = response.content.decode()
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)
        html = re.sub(r'nonce="[^"]+"', 'nonce=""', html)
        (out / f"{name.replace(' ', '_')}.html").write_text(html)
        print(f"{name:<20} {path}")


if __name__ == "__main__":
    main()
