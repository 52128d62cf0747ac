"""The RIS administrator's "Klar" covers the faxed answer the queue showed: a second answer
(e.g. the definitive one after the preliminary) that came in after the page was drawn is not
ticked off with it unseen."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerExchange

from .factories import case_code
from .routines_support import make_case, receive_data


def _done_form(page: str, exchange_id: int) -> dict[str, str]:
    """The fields of the queue item's form as the page drew them, a note typed in."""
    action = f"/routines/reviewer/queue/{exchange_id}/done"
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    return fields | {"note": "Preliminärt svar inlagt i RIS"}


def _queued(app: Flask, client: FlaskClient, auth) -> tuple[str, int]:
    code = case_code(app, make_case(client, auth))
    auth.login("radiographer")
    assert (
        client.post(
            "/routines/reviewer/receive", data=receive_data(code, forwarded=False)
        ).status_code
        == 302
    )
    with app.app_context():
        return code, db.session.scalar(select(ReviewerExchange.id))


def test_a_second_answer_received_after_the_queue_was_drawn_is_not_ticked_off_unseen(
    app: Flask, client: FlaskClient, auth
) -> None:
    code, exchange_id = _queued(app, client, auth)
    auth.login("admin")
    stale = _done_form(client.get("/routines/reviewer/queue").get_data(as_text=True), exchange_id)
    auth.login("radiographer")
    second = receive_data(code, forwarded=False, reviewer_name="Dr Granskare, definitivt")
    assert client.post("/routines/reviewer/receive", data=second).status_code == 302
    auth.login("admin")
    refused = client.post(f"/routines/reviewer/queue/{exchange_id}/done", data=stale)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert f'id="note-{exchange_id}-error"' in page and "nytt svar" in page
    assert 'value="Preliminärt svar inlagt i RIS"' in page
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_done_at is None
    # The queue as it is now ticks it off.
    fresh = _done_form(page, exchange_id)
    done = client.post(f"/routines/reviewer/queue/{exchange_id}/done", data=fresh)
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_done_at is not None


def test_the_answer_the_queue_showed_is_ticked_off(app: Flask, client: FlaskClient, auth) -> None:
    _code, exchange_id = _queued(app, client, auth)
    auth.login("admin")
    form = _done_form(client.get("/routines/reviewer/queue").get_data(as_text=True), exchange_id)
    assert client.post(f"/routines/reviewer/queue/{exchange_id}/done", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(ReviewerExchange, exchange_id).admin_done_at is not None
