"""A move into an incident holding the case's number under another name (or its name under
another number) is asked about as a referral there would be: the namesakes listed with both
identifiers, a box to confirm, else no move."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.cases.namesakes import NAMESAKE_CONFIRMED
from webapp.extensions import db
from webapp.models import AuditEvent

from .factories import case_code, declare_incident, incident_of, referral_data
from .test_cases_move import drill_case_beside_outage, move_form
from .test_double_tap_sweep import form_fields

SAME_NUMBER = "Numret finns redan i driftstoppet under ett annat namn"
SAME_NAME = "Namnet finns redan i driftstoppet med ett annat nummer"
NUMBER = "191212121212"
REASON = "Riktig patient, togs emot i övningen"


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _namesake_in(client: FlaskClient, incident: int, **identity: str) -> int:
    data = referral_data(key_suffix=f"namesake{incident}", incident_id=str(incident), **identity)
    response = client.post("/cases/new", data=data)
    assert response.status_code == 302, _text(response)[:3000]
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _asked(client: FlaskClient, auth: Any) -> tuple[int, int, int, int, str]:
    """A drill case moved into an outage holding its number under another name: asked."""
    drill, real, case_id = drill_case_beside_outage(client, auth)
    other = _namesake_in(client, real, patient_name="Östen Älvström", personal_number=NUMBER)
    url = f"/cases/{case_id}/move"
    response = client.post(url, data=move_form(client, case_id, real, REASON))
    assert response.status_code == 409, _text(response)[:3000]
    return drill, real, case_id, other, _text(response)


def test_a_move_into_an_outage_with_the_number_under_another_name_is_asked_about(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, _real, case_id, other, page = _asked(client, auth)
    assert SAME_NUMBER in page
    assert 'id="move-namesake-confirmed"' in page
    # The other case with its code, name and number, as the referral form lists it.
    assert case_code(app, other) in page
    assert "Östen Älvström" in page
    assert "19121212-1212" in page
    assert REASON in page  # the reason typed stays
    assert incident_of(app, case_id) == drill
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case_move")) is None


def test_a_move_into_an_outage_with_the_name_under_another_number_is_asked_about(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    _namesake_in(client, real, patient_name="Örjan Älvström", personal_number="19121212-1246")
    response = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, real, REASON))
    assert response.status_code == 409
    assert SAME_NAME in _text(response)
    assert incident_of(app, case_id) == drill


def test_the_namesake_confirmed_the_case_moves_and_the_audit_row_says_so(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id, _other, page = _asked(client, auth)
    url = f"/cases/{case_id}/move"
    data = form_fields(page, url) | {
        "target": str(real),
        "reason": REASON,
        "namesake_confirmed": "y",
    }
    response = client.post(url, data=data)
    assert response.status_code == 302, _text(response)[:3000]
    assert incident_of(app, case_id) == real
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case_move"))
        assert NAMESAKE_CONFIRMED in event.detail
        assert event.detail.endswith(f": {REASON}")


def test_a_tick_sent_without_the_question_does_not_count(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    _namesake_in(client, real, patient_name="Östen Älvström", personal_number=NUMBER)
    data = move_form(client, case_id, real, REASON) | {"namesake_confirmed": "y"}
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 409
    assert SAME_NUMBER in _text(response)
    assert incident_of(app, case_id) == drill


def test_a_tick_given_for_another_target_does_not_count(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, _real, case_id, _other, page = _asked(client, auth)
    latest = declare_incident(client, "total")
    _namesake_in(client, latest, patient_name="Östen Älvström", personal_number=NUMBER)
    url = f"/cases/{case_id}/move"
    data = form_fields(page, url) | {
        "target": str(latest),
        "reason": REASON,
        "namesake_confirmed": "y",
    }
    response = client.post(url, data=data)
    assert response.status_code == 409
    assert SAME_NUMBER in _text(response)
    assert incident_of(app, case_id) == drill


def test_a_move_without_a_namesake_in_the_target_is_not_asked_about(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    response = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, real, REASON))
    assert response.status_code == 302
    assert 'id="move-namesake-confirmed"' not in _text(client.get(f"/cases/{case_id}"))


def test_the_namesakes_a_move_lists_are_read_rows_naming_their_cases(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # The other patient's code, name and number were shown: their extract holds the look.
    _drill, real, _case_id, other, _page = _asked(client, auth)
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "namesakes_view")
        ).all()
        assert [(r.incident_id, case_code(app, other) in (r.detail or "")) for r in rows] == [
            (real, True)
        ]
