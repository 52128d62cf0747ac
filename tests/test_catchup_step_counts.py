"""The batch page's count per step is of the cases to key in RIS: a waived or cancelled case
never has its steps ticked, so counted in, a finished catch-up read as two cases short."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from webapp.models import CATCHUP_STEPS

from .catchup_support import reconcile_world
from .catchup_world_support import world as world  # the fixture, shared


def _step_rows(page: str) -> list[str]:
    table = page[page.index("<caption") : page.index("</table>", page.index("<caption"))]
    return re.findall(r"<td>(\d+ / \d+)</td>", table)


def test_a_waived_case_is_not_counted_among_the_cases_whose_steps_are_keyed(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "<strong>2</strong> av 2" in page
    # The keyed case's steps, and its four-eyes check, are every case there was to key.
    rows = _step_rows(page)
    assert len(rows) == len(CATCHUP_STEPS) + 1
    assert set(rows) == {"1 / 1"}
    assert "räknas inte" in page


def test_before_anything_is_keyed_each_step_counts_every_case(client: FlaskClient, world) -> None:
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert set(_step_rows(page)) == {"0 / 2"}
