"""A move and a referral bring one number under two names into one outage at the same moment
(real concurrent requests): one is stored, the other asked about the namesake, nothing of it
stored. The move's question is asked inside its write."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case

from .factories import identity_data, incident_of, referral_data, unidentified_referral_data
from .test_cases_move import drill_case_beside_outage, move_form
from .test_cases_namesakes_race import SAME_NUMBER, _posted_together, checks_before_writes


def test_a_move_and_a_referral_of_one_number_under_two_names_at_once_ask_the_second(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    other = tablet_factory("rtg-bo")
    referral = referral_data(
        key_suffix="b",
        incident_id=str(real),
        patient_name="Östen Älvström",
        personal_number="19121212-1212",
    )
    posts = [
        (client, f"/cases/{case_id}/move", move_form(client, case_id, real, "Fel driftstopp")),
        (other, "/cases/new", referral),
    ]
    with checks_before_writes(app, 'INSERT INTO "CASE"', 'UPDATE "CASE" SET'):
        moved, created = _posted_together(posts)
    codes = (moved.status_code, created.status_code)
    assert codes in ((302, 400), (409, 302)), codes
    refused = created if codes == (302, 400) else moved
    assert SAME_NUMBER in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        in_real = db.session.scalars(select(Case.patient_name).where(Case.incident_id == real))
        assert len(list(in_real)) == 1
        actions = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.in_(("case_move", "case_create")))
        ).all()
    # The drill's own case and one of the two.
    assert sorted(actions) == sorted(
        ["case_create", "case_move" if codes[0] == 302 else "case_create"]
    )
    assert incident_of(app, case_id) == (real if codes[0] == 302 else drill)


def test_a_move_and_a_correction_of_one_number_under_two_names_at_once_ask_the_second(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    """The correction holds the outage's patients while it writes its audit row naming the
    outage; the move waiting for those patients must not hold that row against it."""
    drill, real, case_id = drill_case_beside_outage(client, auth)
    other = tablet_factory("rtg-bo")
    unnamed = other.post(
        "/cases/new",
        data=unidentified_referral_data(
            key_suffix="r", incident_id=str(real), reserve_number="RES-0001"
        ),
    ).headers["Location"]
    correction = identity_data(patient_name="Östen Älvström", case_version="1")
    posts = [
        (client, f"/cases/{case_id}/move", move_form(client, case_id, real, "Fel driftstopp")),
        (other, f"{unnamed}/identity", correction),
    ]
    with checks_before_writes(app, 'UPDATE "CASE" SET'):
        moved, corrected = _posted_together(posts)
    codes = (moved.status_code, corrected.status_code)
    assert codes in ((302, 400), (409, 302)), codes
    refused = corrected if codes == (302, 400) else moved
    assert SAME_NUMBER in html.unescape(refused.get_data(as_text=True))
    with app.app_context():
        numbers = db.session.scalars(select(Case.patient_id).where(Case.incident_id == real))
        assert sorted(numbers) == (
            ["191212121212", "RES-0001"] if codes[0] == 302 else ["191212121212"]
        )
    assert incident_of(app, case_id) == (real if codes[0] == 302 else drill)
