"""The tablets' scripts parse on the older tablets a department still has.

One construct an older browser cannot parse fails the whole file, not the one function: the
drafts, the autosave and the offline guard then do nothing on that tablet, and no one notices
until text is lost. Safari before 16.4 (iPads not updated since 2022) cannot parse a regular
expression's look-behind.
"""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = sorted((Path(__file__).resolve().parents[1] / "static" / "js").glob("*.js"))
LOOK_BEHIND = re.compile(r"\(\?<[=!]")


def test_the_scripts_are_found() -> None:
    assert {p.name for p in SCRIPTS} >= {
        "app.js",
        "drafts.js",
        "draft-copies.js",
        "forms.js",
        "exam-fields.js",
        "report-editor.js",
    }


def test_no_script_uses_a_regular_expression_look_behind() -> None:
    found = [
        f"{path.name}:{number}"
        for path in SCRIPTS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if LOOK_BEHIND.search(line)
    ]
    assert not found, found
