"""A try logged on an image transfer autosaves as a draft of that transfer: the page marks the
form for drafts.js, ?draft= continues it on that transfer's page only, and logging the try
finishes it in the same transaction."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.draft_kinds import DRAFT_KINDS, continue_url
from webapp.extensions import db
from webapp.models import Draft, ImageTransfer, TransferAttempt

from .factories import declare_incident
from .routines_support import transfer_data

KEY = "transferattempt-" + "a" * 20
NOTE = "Länkdatorn omstartad, Åsa på Grannby tar emot"


def _transfer(app: Flask, client: FlaskClient, auth, first: bool = True, **overrides: str) -> int:
    if first:
        auth.login("radiographer")
        declare_incident(client)
    sent = client.post("/routines/transfers/new", data=transfer_data(**overrides))
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        transfer_id = db.session.scalars(select(ImageTransfer.id)).all()[-1]
    return transfer_id


def _typed(transfer_id: int) -> dict[str, str]:
    return {
        "route": "direct",
        "outcome": "failed",
        "note": NOTE,
        "transfer_id": str(transfer_id),
        "form_key": KEY,
    }


def _save_draft(client: FlaskClient, data: dict[str, str]) -> None:
    body = {"kind": "transfer_attempt", "seq": 1, "label": "x", "data": data}
    saved = client.put(f"/api/drafts/{KEY}", json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)


def test_the_attempt_form_autosaves_as_a_draft_of_its_transfer(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    page = client.get(f"/routines/transfers/{transfer_id}").get_data(as_text=True)
    match = re.search(r'<form[^>]*data-draft-kind="transfer_attempt"[^>]*>.*?</form>', page, re.S)
    assert match is not None
    form = match.group(0)
    assert 'class="form clinical' in form
    assert f'name="transfer_id" value="{transfer_id}"' in form
    # A transfer with no case: its form names none.
    assert "data-case-id" not in form
    assert 'class="draft-status' in form


def test_an_attempt_draft_is_continued_on_its_transfers_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer(app, client, auth)
    other_id = _transfer(app, client, auth, False, exam_text="DT thorax")
    _save_draft(client, _typed(transfer_id))
    with app.test_request_context():
        url = continue_url("transfer_attempt", KEY, None, "radiographer", str(transfer_id))
    assert url == f"/routines/transfers/{transfer_id}?draft={KEY}"
    page = client.get(url).get_data(as_text=True)
    assert NOTE in page
    assert f'value="{KEY}"' in page
    # Never on another transfer's page: sent there, it would log the try on the wrong one.
    other = client.get(f"/routines/transfers/{other_id}?draft={KEY}").get_data(as_text=True)
    assert NOTE not in other.split('id="attempts"')[1].split("</form>")[0]
    assert f'value="{KEY}"' not in other


def test_logging_the_try_finishes_its_draft(app: Flask, client: FlaskClient, auth) -> None:
    transfer_id = _transfer(app, client, auth)
    data = _typed(transfer_id)
    _save_draft(client, data)
    sent = client.post(f"/routines/transfers/{transfer_id}/attempts", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None and draft.is_done
        assert db.session.scalar(select(TransferAttempt.note)) == NOTE
    assert DRAFT_KINDS["transfer_attempt"].ends_with_incident is False
