"""A form sent from a page older than its draft: text another tablet typed on is not lost."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Case, Draft

from .factories import referral_data
from .routines_support import transfer_data

KEY = "draftkey-" + "s" * 16
TABLET_A = "tablet-a-" + "1" * 8
TABLET_B = "tablet-b-" + "2" * 8
A_TEXT = "Blödning? Fall i hemmet."
B_TEXT = "Blödning? Fall i hemmet. Kräktes två gånger på akuten."


@pytest.fixture
def continued_on_b(client: FlaskClient, auth) -> FlaskClient:
    """Tablet A saved the referral's draft; tablet B opened it and typed on (autosaved)."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    _put(client, 4, A_TEXT, writer=TABLET_A, base=0)
    assert _put(client, 6, B_TEXT, writer=TABLET_B, base=4)["state"] == "saved"
    return client


def _put(client: FlaskClient, seq: int, question: str, *, writer: str, base: int) -> Any:
    data = referral_data(form_key=KEY, clinical_question=question)
    body = {"kind": "referral", "seq": seq, "label": "x", "data": data}
    response = client.put(f"/api/drafts/{KEY}", json={**body, "writer": writer, "base": base})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _send(client: FlaskClient, question: str, writer: str, base: int, **extra: str) -> Any:
    data = referral_data(
        form_key=KEY, clinical_question=question, draft_writer=writer, draft_base=str(base)
    )
    return client.post("/cases/new", data={**data, **extra})


def _cases(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Case.id))) or 0


def _draft(app: Flask) -> Draft:
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None
        return draft


def test_a_submit_from_a_page_older_than_the_draft_is_refused_keeping_its_text(
    app: Flask, continued_on_b: FlaskClient
) -> None:
    response = _send(continued_on_b, A_TEXT, TABLET_A, 4)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "fortsattes på en annan platta" in page
    assert A_TEXT in page  # everything A typed is on the page again
    assert _cases(app) == 0
    draft = _draft(app)
    assert not draft.is_done
    assert draft.data["clinical_question"] == B_TEXT


def test_the_refusal_offers_the_newer_copy_and_sending_this_one(
    continued_on_b: FlaskClient,
) -> None:
    page = _send(continued_on_b, A_TEXT, TABLET_A, 4).get_data(as_text=True)
    assert f'href="/cases/new?draft={KEY}"' in page
    assert 'data-send-anyway="' + KEY + '"' in page


def test_sending_the_older_copy_knowingly_saves_it(app: Flask, continued_on_b: FlaskClient) -> None:
    response = _send(continued_on_b, A_TEXT, TABLET_A, 4, draft_send_anyway="1")
    assert response.status_code == 302
    assert _cases(app) == 1
    assert _draft(app).is_done


def test_a_submit_from_the_page_that_saved_the_newest_text_is_sent(
    app: Flask, continued_on_b: FlaskClient
) -> None:
    assert _send(continued_on_b, B_TEXT, TABLET_B, 6).status_code == 302
    assert _cases(app) == 1


def test_a_page_gone_on_from_the_newest_text_is_sent(
    app: Flask, continued_on_b: FlaskClient
) -> None:
    assert _send(continued_on_b, B_TEXT + " Mer.", TABLET_A, 6).status_code == 302
    assert _cases(app) == 1


def test_a_resent_submit_is_still_one_act(app: Flask, continued_on_b: FlaskClient) -> None:
    first = _send(continued_on_b, B_TEXT, TABLET_B, 6)
    again = _send(continued_on_b, B_TEXT, TABLET_B, 6)
    assert again.headers["Location"] == first.headers["Location"]
    assert _cases(app) == 1


def test_a_save_after_an_older_copy_was_sent_keeps_the_tablets_text(
    continued_on_b: FlaskClient,
) -> None:
    _send(continued_on_b, A_TEXT, TABLET_A, 4, draft_send_anyway="1")
    answer = _put(continued_on_b, 7, B_TEXT + " Mer.", writer=TABLET_B, base=6)
    assert answer["state"] == "done"
    assert answer["in_sent"] is False


def test_a_save_of_text_the_sent_form_held_is_answered_as_sent(
    continued_on_b: FlaskClient,
) -> None:
    _send(continued_on_b, B_TEXT, TABLET_B, 6, draft_seq="7")
    answer = _put(continued_on_b, 7, B_TEXT, writer=TABLET_B, base=6)
    assert answer["state"] == "done"
    assert answer["in_sent"] is True


def test_a_transfer_sent_from_an_older_copy_is_refused_not_a_server_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    key = "transferkey-" + "t" * 16
    body = {"kind": "transfer", "label": "x", "data": transfer_data(form_key=key)}
    for seq, writer, base in ((4, TABLET_A, 0), (6, TABLET_B, 4)):
        saved = client.put(
            f"/api/drafts/{key}", json={**body, "seq": seq, "writer": writer, "base": base}
        )
        assert saved.status_code == 200, saved.get_json()
    data = transfer_data(form_key=key, draft_writer=TABLET_A, draft_base="4")
    response = client.post("/routines/transfers/new", data=data)
    assert response.status_code in (200, 400)
    assert "fortsattes på en annan platta" in response.get_data(as_text=True)
