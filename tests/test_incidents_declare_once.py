"""Declaring an outage or a drill is stored once per form, however often the form is sent: a
double tap on "Registrera" opens one incident, and the tablet works in it."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Incident

from .factories import audit_events, hidden_value
from .twin_race import KEY, twin_committed_after_the_check


def _incidents(app: Flask) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Incident.id).order_by(Incident.id)))


def _drill(key: str, notes: str = "Övning grupp 1") -> dict[str, str]:
    return {"form_key": key, "scenario": "integration", "is_drill": "y", "notes": notes}


def test_the_declare_form_carries_a_one_time_key(client: FlaskClient, auth) -> None:
    auth.login()
    first = hidden_value(client.get("/incidents/new").get_data(as_text=True), "form_key")
    second = hidden_value(client.get("/incidents/new").get_data(as_text=True), "form_key")
    assert len(first) >= 16 and first != second


def test_a_drill_declared_twice_from_one_form_opens_one_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    first = client.post("/incidents/new", data=_drill(KEY))
    second = client.post("/incidents/new", data=_drill(KEY), follow_redirects=True)
    assert first.status_code == 302
    assert len(_incidents(app)) == 1
    # The second tap lands on the incident the first one opened, and says nothing was doubled.
    assert second.request.path == first.headers["Location"]
    assert "Driftstoppet var redan registrerat – inget dubblerades." in html.unescape(
        second.get_data(as_text=True)
    )
    assert len(audit_events(app, "incident_declare")) == 1


def test_a_real_outage_declared_twice_from_one_form_leads_to_it_not_to_a_refusal(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    data = {"form_key": KEY, "scenario": "integration"}
    first = client.post("/incidents/new", data=data)
    second = client.post("/incidents/new", data=data)
    assert second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert len(_incidents(app)) == 1


def test_the_second_tap_makes_the_declared_drill_the_tablets_incident(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login()
    # A real outage runs: a tablet without a chosen incident works in it.
    other = tablet_factory("bo")
    other.post("/incidents/new", data={"scenario": "total"})
    # The first tap's answer (and the session cookie it set) was lost to the second tap.
    with client.session_transaction() as before:
        kept = dict(before)
    client.post("/incidents/new", data=_drill(KEY))
    with client.session_transaction() as after:
        after.clear()
        after.update(kept)
    client.post("/incidents/new", data=_drill(KEY))
    drill = max(_incidents(app))
    with client.session_transaction() as session:
        assert session["incident_id"] == drill


def test_two_taps_at_the_same_moment_open_one_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data=_drill(KEY))
    # The twin read no stored key yet and wrote its own incident: the stored key refuses it.
    with twin_committed_after_the_check(app) as blinded:
        twin = client.post("/incidents/new", data=_drill(KEY))
    assert blinded
    assert twin.status_code == 302
    assert len(_incidents(app)) == 1


def test_one_form_sent_again_with_other_content_is_refused_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login()
    client.post("/incidents/new", data=_drill(KEY))
    response = client.post("/incidents/new", data=_drill(KEY, notes="Grupp 2 i stället"))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    assert "Formuläret har redan skickats med annat innehåll, och det driftstoppet är" in page
    assert "Grupp 2 i stället" in page
    # Sent once more, it is a declaration of its own under a new key.
    assert hidden_value(page, "form_key") != KEY
    with app.app_context():
        assert db.session.scalar(select(func.count(Incident.id))) == 1
