"""A refused tick says why beside the step, on the steps the page opens at.

A tick answered with a redirect to the steps put its refusal in a flash at the top of the page,
out of view on a portrait tablet: the step looked merely unticked, and a second tap from the
page as it is now (a report signed again meanwhile) took the tick that was refused for it.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick

from .catchup_support import book, tick_all
from .catchup_world_support import _shown
from .catchup_world_support import world as world  # the fixture
from .factories import hidden_value, report_data

STALE = "Ärendet har ändrats sedan sidan öppnades"


def _note(page: str, step: str) -> str:
    return page.split(f'id="step-{step}-note"', 1)[1].split("</p>", 1)[0]


def _step_form_actions(page: str, case_id: int) -> set[str]:
    prefix = f'action="/catchup/cases/{case_id}/steps'
    return {part.split('"', 1)[0] for part in page.split(prefix)[1:]}


def _ticks(app: Flask, case_id: int) -> list[str]:
    with app.app_context():
        query = select(CatchupTick.step).where(CatchupTick.case_id == case_id)
        return list(db.session.scalars(query))


def test_a_tick_from_a_page_older_than_a_new_signature_is_refused_beside_the_step(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]  # preliminary report
    book(client, case_id)
    shown = hidden_value(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), "shown")
    auth.logout()
    auth.login("radiologist")
    signing = report_data("definitive", "z" * 20) | _shown(app, case_id, "report")
    signing["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{case_id}", data=signing).status_code == 302
    auth.logout()
    auth.login("secretary")
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1", "confirm_preliminary": "y", "shown": shown},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert STALE in _note(page, "report_keyed")
    assert 'aria-describedby="step-report_keyed-note"' in page
    assert "Subduralt hematom" in page  # the page as it is now
    assert _ticks(app, case_id) == ["booked"]


def test_a_preliminary_report_ticked_unconfirmed_says_so_beside_the_step(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    book(client, case_id)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "report_keyed", "is_done": "1"}
    )
    assert response.status_code == 409
    note = _note(response.get_data(as_text=True), "report_keyed")
    assert "Bekräfta att det ska läggas in som preliminärt" in note
    assert _ticks(app, case_id) == ["booked"]


def test_a_step_undone_unconfirmed_on_a_checked_case_names_the_checker_beside_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    assert client.post(f"/catchup/cases/{case_id}/verify").status_code == 302
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "exam_completed", "is_done": "0"}
    )
    assert response.status_code == 409
    note = _note(response.get_data(as_text=True), "exam_completed")
    assert "Ärendet är kontrollerat av Testa Secretary Åström" in note


def test_the_refused_page_opens_at_the_steps(app: Flask, client: FlaskClient, world) -> None:
    """Drawn at the address the tick was sent to, the page opens at its top unless it focuses
    the refused step or what it needs (the browser brings it into view); a #steps in the
    form's address would cancel that focus (a page opened at a fragment ignores autofocus)."""
    case_id = world["ids"][1]  # its report is only preliminary
    book(client, case_id)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert _step_form_actions(page, case_id) == {""}
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "report_keyed", "is_done": "1"}
    )
    assert response.status_code == 409
    # Focused: the box that confirms the preliminary report, beside the step.
    assert re.search(r'<input [^>]*name="confirm_preliminary"[^>]* autofocus>', response.text)


def test_a_refused_waiver_confirmation_opens_the_page_where_the_refusal_is_read(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    """Opened at the waiver, the page hid the refusal flashed at its top, and the button to
    confirm again stood there as if nothing had been refused."""
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    # Its author may not confirm it (four eyes).
    response = client.post(f"/catchup/cases/{case_id}/waive/confirm")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/catchup/cases/{case_id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    flashes = page.split('class="flashes"', 1)[1].split("</div>", 1)[0]
    assert "Du gjorde undantaget själv" in flashes
    auth.logout()
    auth.login("secretary", username="sek2")
    confirmed = client.post(f"/catchup/cases/{case_id}/waive/confirm")
    assert confirmed.headers["Location"] == f"/catchup/cases/{case_id}#waiver"
