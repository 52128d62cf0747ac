"""The note of the call to the referrer about an urgent finding autosaves as a draft of its case:
the page marks the form for drafts.js, ?draft= continues it, and logging the call finishes it in
the same transaction."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.draft_kinds import DRAFT_KINDS
from webapp.extensions import db
from webapp.models import Draft, UrgentCall

from .factories import local_minute
from .test_catchup_urgent_call import _urgent_case

KEY = "urgentcall-" + "u" * 20
NOTE = "Pneumothorax höger – Åsa på akuten lägger dränage"
CALL = {"called_person": "Dr Åberg", "phone_number": "035-123 45 67", "note": NOTE}


def _save_draft(client: FlaskClient, case_id: int, data: dict[str, str]) -> None:
    body = {"kind": "urgent_call", "case_id": case_id, "seq": 1, "label": "x", "data": data}
    saved = client.put(f"/api/drafts/{KEY}", json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)


def test_the_call_form_autosaves_as_a_draft_of_its_case(client: FlaskClient, auth) -> None:
    case_id = _urgent_case(client, auth)
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/call").get_data(as_text=True)
    assert 'data-draft-kind="urgent_call"' in page
    assert f'data-case-id="{case_id}"' in page
    assert 'class="draft-status' in page
    assert DRAFT_KINDS["urgent_call"].endpoint == "reporting.call"


def test_a_call_draft_is_continued_in_its_boxes(client: FlaskClient, auth) -> None:
    case_id = _urgent_case(client, auth)
    auth.login("secretary")
    _save_draft(client, case_id, CALL | {"called_at": local_minute(), "form_key": KEY})
    page = client.get(f"/reporting/{case_id}/call?draft={KEY}").get_data(as_text=True)
    assert NOTE in page
    assert f'value="{KEY}"' in page


def test_logging_the_call_finishes_its_draft(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _urgent_case(client, auth)
    auth.login("radiologist")
    data = CALL | {"called_at": local_minute(), "form_key": KEY}
    _save_draft(client, case_id, data)
    sent = client.post(f"/reporting/{case_id}/call", data=data)
    assert sent.status_code == 302, sent.get_data(as_text=True)
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None and draft.is_done
        assert draft.case_id == case_id
        assert db.session.scalar(select(UrgentCall.note)) == NOTE
