"""Two copies of one draft: a save over text its copy never showed is kept apart, not lost."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

KEY = "draftkey-" + "o" * 16
TABLET_A = "tablet-a-" + "1" * 8
TABLET_B = "tablet-b-" + "2" * 8


@pytest.fixture
def logged_in(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def _put(
    client: FlaskClient,
    seq: int,
    name: str,
    *,
    writer: str | None,
    base: int | None,
    key: str = KEY,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "referral",
        "seq": seq,
        "label": name,
        "data": {"patient_name": name, "personal_number": "19121212-1212"},
    }
    if writer is not None:
        body["writer"] = writer
    if base is not None:
        body["base"] = base
    response = client.put(f"/api/drafts/{key}", json=body)
    assert response.status_code == 200, response.get_json()
    return dict(response.get_json())


def _stored(app: Flask) -> tuple[str, int, str | None]:
    with app.app_context():
        draft = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert draft is not None
        return draft.data["patient_name"], draft.client_seq, draft.writer


def test_a_save_over_text_another_tablet_saved_meanwhile_stores_nothing(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # Tablet A saved count 4; tablet B opened the draft there and typed on to count 9; A,
    # offline meanwhile, comes back with its own text built on count 4.
    assert _put(client, 4, "Åsa", writer=TABLET_A, base=0)["state"] == "created"
    assert _put(client, 9, "Åsa Öberg, B", writer=TABLET_B, base=4)["state"] == "saved"
    answer = _put(client, 7, "Åsa Öberg, A", writer=TABLET_A, base=4)
    assert answer == {"state": "overtaken", "seq": 9, "incident_ended": False}
    assert _stored(app) == ("Åsa Öberg, B", 9, TABLET_B)


def test_a_higher_count_does_not_make_the_save_win(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # The counts of two tablets say nothing about which text is newer: only the base does.
    _put(client, 4, "Åsa", writer=TABLET_A, base=0)
    _put(client, 5, "Åsa B", writer=TABLET_B, base=4)
    assert _put(client, 40, "Åsa A", writer=TABLET_A, base=4)["state"] == "overtaken"
    assert _stored(app) == ("Åsa B", 5, TABLET_B)


def test_a_tablet_going_on_from_the_other_tablets_text_saves(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # A swapped tablet: B opened the draft at A's count 4 and goes on from it.
    _put(client, 4, "Åsa", writer=TABLET_A, base=0)
    assert _put(client, 5, "Åsa Öberg", writer=TABLET_B, base=4)["state"] == "saved"
    # A, which then opened the draft again from B's text, goes on from that.
    assert _put(client, 6, "Åsa Öberg 2", writer=TABLET_A, base=5)["state"] == "saved"
    assert _stored(app) == ("Åsa Öberg 2", 6, TABLET_A)


def test_a_tablets_own_save_whose_answer_was_lost_is_not_taken_for_another_tablets(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # Count 5 reached the laptop but its answer did not reach the tablet, which still goes on
    # from count 4.
    _put(client, 4, "Åsa", writer=TABLET_A, base=0)
    _put(client, 5, "Åsa Ö", writer=TABLET_A, base=4)
    assert _put(client, 6, "Åsa Öberg", writer=TABLET_A, base=4)["state"] == "saved"
    assert _stored(app) == ("Åsa Öberg", 6, TABLET_A)


def test_the_same_text_from_another_tablet_is_no_conflict(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    _put(client, 4, "Åsa", writer=TABLET_A, base=0)
    _put(client, 5, "Åsa Öberg", writer=TABLET_B, base=4)
    assert _put(client, 5, "Åsa Öberg", writer=TABLET_A, base=4)["state"] == "held"
    assert _stored(app) == ("Åsa Öberg", 5, TABLET_B)


def test_a_copy_that_names_no_base_goes_by_its_count(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # A copy kept on a tablet before copies named their base: the laptop cannot tell, and an
    # older count stays refused as before.
    _put(client, 4, "Åsa", writer=TABLET_A, base=0)
    _put(client, 9, "Åsa B", writer=TABLET_B, base=4)
    assert _put(client, 7, "Åsa A", writer=None, base=None)["state"] == "stale"
    assert _put(client, 10, "Åsa A", writer=None, base=None)["state"] == "saved"
    assert _stored(app) == ("Åsa A", 10, None)


@pytest.mark.parametrize("writer", ["kort", "x" * 33, "mellan slag!", 12345678, ["a" * 10]])
def test_a_malformed_copy_name_is_refused_in_swedish(
    client: FlaskClient, logged_in, writer: object
) -> None:
    response = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": "referral", "seq": 1, "data": {}, "writer": writer, "base": 0},
    )
    assert response.status_code == 400
    assert response.get_json() == {"error": "Ogiltig kopia av formuläret."}


def test_a_form_opened_on_a_draft_names_the_count_it_shows(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    _put(client, 12, "Åsa", writer=TABLET_A, base=0)
    page = client.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    assert f'data-draft-base="{KEY} 12"' in page
    # A form opened without a draft, or on a key the laptop has no draft of, names none.
    assert 'data-draft-base=""' in client.get("/cases/new").get_data(as_text=True)
    other = "draftkey-" + "n" * 16
    assert 'data-draft-base=""' in client.get(f"/cases/new?draft={other}").get_data(as_text=True)
