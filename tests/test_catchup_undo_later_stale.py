"""A confirmed undo undoes only the later steps its page named.

Undoing a step that later done steps build on asks a second tap, naming those steps as the page
was drawn. Had a colleague ticked one more of them since, the second tap would undo it too
without it having been named: that undo is refused, nothing changed, and the step named.
"""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick, User

from .catchup_support import save_accession
from .catchup_world_support import world as world  # the fixture

COLLEAGUE = "sek2"


def _confirm_fields(page: str, step: str) -> dict[str, str]:
    """What the page's second tap ("Ja, ångra ...") of the step's undo sends."""
    for form in re.findall(r"<form\b.*?</form>", page, flags=re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        if fields.get("step") == step and fields.get("confirm_uncheck") == "1":
            return fields
    raise AssertionError(f"no confirmed undo of {step} on the page")


def _ticks(app: Flask, case_id: int) -> list[tuple[str, bool]]:
    with app.app_context():
        rows = db.session.execute(
            select(CatchupTick.step, CatchupTick.is_done)
            .where(CatchupTick.case_id == case_id)
            .order_by(CatchupTick.id)
        ).all()
        return [(step, bool(is_done)) for step, is_done in rows]


def _asked_to_confirm(client: FlaskClient, case_id: int) -> dict[str, str]:
    """Booked and its exam completed; the booking's undo refused, asking to confirm."""
    url = f"/catchup/cases/{case_id}/steps"
    save_accession(client, case_id)
    assert client.post(url, data={"step": "exam_completed", "is_done": "1"}).status_code == 302
    refused = client.post(url, data={"step": "booked", "is_done": "0"})
    assert refused.status_code == 409
    return _confirm_fields(refused.get_data(as_text=True), "booked")


def test_a_confirmed_undo_that_would_undo_a_step_ticked_since_is_refused(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    confirm = _asked_to_confirm(client, case_id)
    colleague = tablet_factory(COLLEAGUE, role="secretary")
    assert colleague.post(url, data={"step": "images_matched", "is_done": "1"}).status_code == 302
    before = _ticks(app, case_id)

    response = client.post(url, data=confirm)

    assert response.status_code == 409
    assert _ticks(app, case_id) == before
    page = html.unescape(response.get_data(as_text=True))
    with app.app_context():
        name = db.session.scalar(select(User.display_name).where(User.username == COLLEAGUE))
    note = page.split('id="step-booked-note"', 1)[1].split("</p>", 1)[0]
    assert f"”Bilderna matchade i PACS” markerades som klart av {name} " in note
    assert "efter att sidan öppnades" in note
    assert "Inget är ångrat" in note
    # Redrawn with the steps the undo would undo now, the new one named to confirm.
    assert _confirm_fields(page, "booked")["shown_later"] == "exam_completed images_matched"


def test_the_redrawn_confirmation_undoes_the_steps_it_names(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    confirm = _asked_to_confirm(client, case_id)
    colleague = tablet_factory(COLLEAGUE, role="secretary")
    colleague.post(url, data={"step": "images_matched", "is_done": "1"})
    page = client.post(url, data=confirm).get_data(as_text=True)

    assert client.post(url, data=_confirm_fields(page, "booked")).status_code == 302
    assert _ticks(app, case_id)[-3:] == [
        ("booked", False),
        ("exam_completed", False),
        ("images_matched", False),
    ]


def test_a_confirmed_undo_from_a_current_page_is_taken(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    confirm = _asked_to_confirm(client, case_id)

    assert client.post(url, data=confirm).status_code == 302
    assert _ticks(app, case_id)[-2:] == [("booked", False), ("exam_completed", False)]
