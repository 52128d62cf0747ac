"""No file of the app is left with a merge's conflict markers: a template would show them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7} |={7}$|>{7} )", re.MULTILINE)


def test_no_source_file_holds_conflict_markers() -> None:
    files = [
        path
        for folder in ("webapp", "templates", "static", "migrations", "tests")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".py", ".html", ".js", ".css", ".txt", ".md"}
    ]
    assert files
    marked = [str(p.relative_to(ROOT)) for p in files if MARKER.search(p.read_text("utf-8"))]
    assert marked == []
