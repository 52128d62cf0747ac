"""The urgent call to the referrer is logged once, however often its form is sent."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import UrgentCall

from .factories import audit_events, hidden_value


def _call(key: str, note: str = "Neurokirurg kontaktas") -> dict[str, str]:
    return {
        "form_key": key,
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "called_at": "2026-01-15T11:20",
        "note": note,
    }


def _calls(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(UrgentCall.id))) or 0)


def test_the_call_form_carries_a_one_time_key(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    first = hidden_value(
        client.get(f"/reporting/{case_id}/call").get_data(as_text=True), "form_key"
    )
    second = hidden_value(
        client.get(f"/reporting/{case_id}/call").get_data(as_text=True), "form_key"
    )
    assert len(first) >= 16 and first != second


def test_the_same_call_form_sent_twice_logs_one_call(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    key = "call-" + "c" * 20
    first = client.post(f"/reporting/{case_id}/call", data=_call(key))
    again = client.post(f"/reporting/{case_id}/call", data=_call(key), follow_redirects=True)
    assert first.status_code == 302
    assert "Samtalet var redan loggat – inget dubblerades." in again.get_data(as_text=True)
    assert _calls(app) == 1


def test_a_call_form_sent_again_with_other_text_keeps_it_under_a_new_key(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    key = "call-" + "c" * 20
    client.post(f"/reporting/{case_id}/call", data=_call(key))
    response = client.post(f"/reporting/{case_id}/call", data=_call(key, "Ringde igen kl 11.40"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Ringde igen kl 11.40" in page
    assert hidden_value(page, "form_key") not in ("", key)
    assert _calls(app) == 1


def test_the_audit_row_of_a_call_says_its_time_is_utc(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Logged at 11:20 Swedish winter time: the row read "Dr Åberg 10:20", an hour off unmarked.
    auth.login("radiologist")
    data = {"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"}
    assert client.post(f"/reporting/{case_id}/call", data=data).status_code == 302
    (event,) = audit_events(app, "urgent_call")
    assert event.detail == "Dr Åberg 10:20 UTC"
