"""A tick on the catch-up page says when it was made as every other page does (2026-12-05
10:32): "05/12" reads as 12 May to anyone used to month first."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from .catchup_support import book
from .catchup_world_support import world as world  # the fixture

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_a_ticked_step_shows_its_time_as_year_month_day(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    book(client, case_id)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    states = re.findall(r'<span class="tick-state">([^<]*)</span>', page)
    done = [s for s in states if " – " in s]
    assert done, states
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} – .+", done[0]), done[0]


def test_no_template_writes_a_date_day_or_month_first() -> None:
    """Day first or month first, a short date is read one way here and the other way there."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {fmt}"
        for path in TEMPLATES.rglob("*.html")
        for fmt in re.findall(r"%[dm]/%[dm]", path.read_text(encoding="utf-8"))
    ]
    assert not found, found
