"""An untick sent from a page drawn before a colleague ticked the step again is refused.

The page still shows the step as done by the tick it was drawn with. Had a colleague unticked it
and ticked it again since (redone in RIS), the older page's "Ångra" would undo the newer tick
unseen: the case would look not keyed, and be keyed into RIS twice.
"""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick, User

from .catchup_support import save_accession, tick_all
from .catchup_world_support import world as world  # the fixture

STEP = "exam_completed"
COLLEAGUE = "sek2"


def _undo_fields(page: str, step: str) -> dict[str, str]:
    """What the page's own "Ångra" form of the step sends."""
    for form in re.findall(r"<form\b.*?</form>", page, flags=re.S):
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        if fields.get("step") == step and fields.get("is_done") == "0":
            return fields
    raise AssertionError(f"no undo form of {step} on the page")


def _ticks(app: Flask, case_id: int) -> list[tuple[str, bool]]:
    with app.app_context():
        rows = db.session.execute(
            select(CatchupTick.step, CatchupTick.is_done)
            .where(CatchupTick.case_id == case_id)
            .order_by(CatchupTick.id)
        ).all()
        return [(step, bool(is_done)) for step, is_done in rows]


def _page_with_step_done(client: FlaskClient, case_id: int) -> str:
    save_accession(client, case_id)
    url = f"/catchup/cases/{case_id}/steps"
    assert client.post(url, data={"step": STEP, "is_done": "1"}).status_code == 302
    return client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def test_an_untick_from_a_page_drawn_before_a_colleague_ticked_again_is_refused(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    undo = _undo_fields(_page_with_step_done(client, case_id), STEP)
    colleague = tablet_factory(COLLEAGUE, role="secretary")
    assert colleague.post(url, data={"step": STEP, "is_done": "0"}).status_code == 302
    assert colleague.post(url, data={"step": STEP, "is_done": "1"}).status_code == 302
    before = _ticks(app, case_id)

    response = client.post(url, data=undo)

    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    with app.app_context():
        name = db.session.scalar(select(User.display_name).where(User.username == COLLEAGUE))
    assert f"”Undersökningen klarmarkerad i RIS” markerades som klart av {name} " in page
    assert "efter att sidan öppnades. Steget är inte ångrat" in page
    # Beside the step, and the page redrawn as it is now: the step done, by the colleague.
    assert f'id="step-{STEP}-note"' in page
    assert f'data-step="{STEP}" aria-pressed="true"' in page
    assert _undo_fields(page, STEP) != undo
    assert _ticks(app, case_id) == before


def test_the_redrawn_page_undoes_the_colleagues_tick(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    undo = _undo_fields(_page_with_step_done(client, case_id), STEP)
    colleague = tablet_factory(COLLEAGUE, role="secretary")
    colleague.post(url, data={"step": STEP, "is_done": "0"})
    colleague.post(url, data={"step": STEP, "is_done": "1"})
    page = client.post(url, data=undo).get_data(as_text=True)

    assert client.post(url, data=_undo_fields(page, STEP)).status_code == 302
    assert _ticks(app, case_id)[-1] == (STEP, False)


def test_an_untick_from_a_current_page_is_taken(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    undo = _undo_fields(_page_with_step_done(client, case_id), STEP)

    assert client.post(url, data=undo).status_code == 302
    assert _ticks(app, case_id)[-1] == (STEP, False)


def test_the_confirmed_undo_of_a_checked_case_from_an_older_page_is_refused(
    app: Flask, client: FlaskClient, world, tablet_factory
) -> None:
    case_id = world["ids"][0]
    url = f"/catchup/cases/{case_id}/steps"
    tick_all(client, case_id)
    colleague = tablet_factory(COLLEAGUE, role="secretary")
    assert colleague.post(f"/catchup/cases/{case_id}/verify").status_code == 302
    undo = _undo_fields(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True), STEP)
    assert undo["confirm_uncheck"] == "1"
    # The colleague undoes the step (and the check with it) and ticks it again.
    colleague.post(url, data={"step": STEP, "is_done": "0", "confirm_uncheck": "1"})
    colleague.post(url, data={"step": STEP, "is_done": "1"})
    before = _ticks(app, case_id)

    response = client.post(url, data=undo)

    assert response.status_code == 409
    assert "efter att sidan öppnades" in html.unescape(response.get_data(as_text=True))
    assert _ticks(app, case_id) == before
