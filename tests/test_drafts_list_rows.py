"""Rows of the drafts list: one masking rule for every row, and twin drafts told apart."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select

from webapp.extensions import db
from webapp.models import Draft

REFERRAL_KEY = "referral-" + "r" * 20


@pytest.fixture
def logged_in(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def _rows(page: str) -> list[str]:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]


def test_a_referral_draft_shows_the_number_masked_as_the_list_masks_case_rows(
    client: FlaskClient, logged_in
) -> None:
    # The label is what the tablet builds (draft-copies.js labelFor): the number in full.
    label = "Åsa Öberg · 19800101-0027 · DT hjärna utan kontrast"
    client.put(
        f"/api/drafts/{REFERRAL_KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": label,
            "data": {
                "patient_name": "Åsa Öberg",
                "personal_number": "19800101-0027",
                "exam_text": "DT hjärna utan kontrast",
            },
        },
    )
    (row,) = _rows(client.get("/drafts").get_data(as_text=True))
    assert "0027" not in row
    assert "19800101-****" in row
    assert "Åsa Öberg" in row and "DT hjärna utan kontrast" in row


EXAM_KEYS = ("exam-tablet-one-" + "a" * 10, "exam-tablet-two-" + "b" * 10)


@pytest.fixture
def twin_exam_drafts(app: Flask, client: FlaskClient, auth, case_id: int) -> int:
    """Two drafts of one exam form by one user from two tablets, saved within one minute."""
    auth.login()
    for key, notes, second in zip(
        EXAM_KEYS, ("Orolig patient", "Lugn patient"), (5, 48), strict=True
    ):
        saved = client.put(
            f"/api/drafts/{key}",
            json={
                "kind": "exam",
                "seq": 1,
                "case_id": str(case_id),
                "label": "DT hjärna utan kontrast",
                "data": {"form_key": key, "exam_text": "DT hjärna utan kontrast", "notes": notes},
            },
        )
        assert saved.status_code == 200
        with app.app_context():
            draft = db.session.scalar(select(Draft).where(Draft.form_key == key))
            draft.updated_at = datetime(2026, 1, 15, 9, 37, second, tzinfo=UTC)
            db.session.commit()
    return case_id


def test_two_offers_of_one_form_by_one_user_say_what_tells_them_apart(
    client: FlaskClient, twin_exam_drafts: int
) -> None:
    page = client.get(f"/cases/{twin_exam_drafts}/exam").get_data(as_text=True)
    offers = page.split('class="draft-offer-row"')[1:]
    assert len(offers) == 2
    # Saved in one minute (10:37 Swedish time): the seconds, and what was typed in each.
    assert "10:37:48" in offers[0] and "Lugn patient" in offers[0]
    assert "10:37:05" in offers[1] and "Orolig patient" in offers[1]


def test_two_rows_of_the_drafts_list_alike_but_for_the_text_say_what_tells_them_apart(
    client: FlaskClient, twin_exam_drafts: int
) -> None:
    rows = _rows(client.get("/drafts").get_data(as_text=True))
    assert len(rows) == 2
    assert "10:37:48" in rows[0] and "Lugn patient" in rows[0]
    assert "10:37:05" in rows[1] and "Orolig patient" in rows[1]


def test_a_single_offer_shows_the_minute_only(
    client: FlaskClient, twin_exam_drafts: int, app: Flask
) -> None:
    with app.app_context():
        db.session.execute(delete(Draft).where(Draft.form_key == EXAM_KEYS[1]))
        db.session.commit()
    page = client.get(f"/cases/{twin_exam_drafts}/exam").get_data(as_text=True)
    (offer,) = page.split('class="draft-offer-row"')[1:]
    assert "10:37" in offer and "10:37:05" not in offer and "Orolig patient" not in offer


def test_twin_referral_drafts_told_apart_by_a_number_keep_it_masked(
    client: FlaskClient, logged_in
) -> None:
    # Two tablets typed the same patient, the last four digits differently: the rows read
    # alike once masked, and what tells them apart must not show the numbers the list hides.
    for key, number in (("one", "19800101-0027"), ("two", "19800101-0035")):
        client.put(
            f"/api/drafts/referral-{key}-" + "r" * 16,
            json={
                "kind": "referral",
                "seq": 1,
                "label": f"Åsa Öberg · {number} · DT hjärna utan kontrast",
                "data": {
                    "patient_name": "Åsa Öberg",
                    "personal_number": number,
                    "exam_text": "DT hjärna utan kontrast",
                },
            },
        )
    rows = _rows(client.get("/drafts").get_data(as_text=True))
    assert len(rows) == 2
    for row in rows:
        assert "0027" not in row and "0035" not in row
        assert "19800101-****" in row


def test_twin_exam_drafts_are_told_apart_by_the_modalitys_name(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The modality is chosen by its code; the list names it as the form offered it.
    auth.login()
    for key, modality in zip(EXAM_KEYS, ("CT", "MR"), strict=True):
        saved = client.put(
            f"/api/drafts/{key}",
            json={
                "kind": "exam",
                "seq": 1,
                "case_id": str(case_id),
                "label": "DT hjärna utan kontrast",
                "data": {"form_key": key, "modality": modality},
            },
        )
        assert saved.status_code == 200
    rows = _rows(client.get("/drafts").get_data(as_text=True))
    assert any('Modalitet: <q dir="auto">Datortomografi</q>' in row for row in rows)
