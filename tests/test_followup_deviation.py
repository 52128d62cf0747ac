"""The deviation report's number (avvikelsenummer), recorded on the follow-up of an outage."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Incident, IncidentLogEntry

from .factories import DEFAULT_PIN, declare_incident
from .followup_support import Seeded, seed_ended_incident
from .other_site_support import visible
from .printforms.conftest import pdf_text


@pytest.fixture
def seeded(app: Flask) -> Seeded:
    return seed_ended_incident(app)


def _login(client: FlaskClient, username: str) -> None:
    response = client.post("/login", data={"username": username, "secret": DEFAULT_PIN})
    assert response.status_code == 302


def _record(client: FlaskClient, incident_id: int, number: str, key: str = "d" * 20):
    return client.post(
        f"/incidents/{incident_id}/followup/deviation",
        data={"deviation_number": number, "form_key": key},
    )


def _stored(app: Flask, incident_id: int) -> str:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert incident is not None
        return incident.deviation_number


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_secretary_records_the_number_on_an_ended_outage_and_it_is_shown_everywhere(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    # The follow-up is made after the close: the number is an incident's note, not a case edit.
    _login(client, "fu-sara")
    response = _record(client, seeded.incident_id, " AV-2026-1234 ")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/incidents/{seeded.incident_id}/followup#deviation"
    assert _stored(app, seeded.incident_id) == "AV-2026-1234"
    followup = client.get(f"/incidents/{seeded.incident_id}/followup").get_data(as_text=True)
    assert "Avvikelsenummer" in followup and 'value="AV-2026-1234"' in followup
    incident_page = visible(client.get(f"/incidents/{seeded.incident_id}").get_data(as_text=True))
    assert "Avvikelsenummer AV-2026-1234" in _words(incident_page)
    sheet = pdf_text(client.get(f"/incidents/{seeded.incident_id}/followup.pdf").get_data())
    assert "Avvikelsenummer AV-2026-1234" in _words(sheet)


def test_each_change_of_the_number_is_logged_on_the_incident_and_audited(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-admin")
    assert _record(client, seeded.incident_id, "AV-2026-1234", "a" * 20).status_code == 302
    assert _record(client, seeded.incident_id, "AV-2026-1243", "b" * 20).status_code == 302
    assert _record(client, seeded.incident_id, "", "c" * 20).status_code == 302
    assert _stored(app, seeded.incident_id) == ""
    with app.app_context():
        entries = db.session.scalars(
            select(IncidentLogEntry)
            .where(IncidentLogEntry.step_key == IncidentLogEntry.DEVIATION)
            .order_by(IncidentLogEntry.id)
        ).all()
        assert [e.label for e in entries] == [
            "Avvikelsenummer: AV-2026-1234",
            "Avvikelsenummer ändrat: AV-2026-1234 → AV-2026-1243",
            "Avvikelsenummer borttaget (var AV-2026-1243)",
        ]
        events = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "incident_deviation")
            .order_by(AuditEvent.id)
        ).all()
        assert [(e.incident_id, e.username) for e in events] == [
            (seeded.incident_id, "fu-admin")
        ] * 3
        assert "AV-2026-1234 → AV-2026-1243" in events[1].detail
    # The incident page's log says who did it, as an event, not a tick.
    page = visible(client.get(f"/incidents/{seeded.incident_id}").get_data(as_text=True))
    assert "Ada Admin: Avvikelsenummer ändrat: AV-2026-1234 → AV-2026-1243" in _words(page)
    assert "klart" not in _words(page).split("Avvikelsenummer ändrat")[1].split("Ada")[0]


def test_the_followups_course_lists_each_change_of_the_number_after_the_close(
    client: FlaskClient, seeded: Seeded
) -> None:
    # The number is recorded after the close: the course has it there, in the order written,
    # as the incident page's log has it; never as a tick of the routine's checklist.
    _login(client, "fu-admin")
    assert _record(client, seeded.incident_id, "AV-2026-1234", "a" * 20).status_code == 302
    assert _record(client, seeded.incident_id, "AV-2026-1243", "b" * 20).status_code == 302
    url = f"/incidents/{seeded.incident_id}/followup"
    page = _words(visible(client.get(url).get_data(as_text=True)))
    sheet = _words(pdf_text(client.get(url + ".pdf").get_data()))
    for shown, course_ends in ((page, "Kontakter och uppföljning"), (sheet, "Kontakter och")):
        course = shown.split("Förlopp", 1)[1].split(course_ends, 1)[0]
        closed = course.index("Driftstoppet avslutat")
        first = course.index("Avvikelsenummer: AV-2026-1234")
        changed = course.index("Avvikelsenummer ändrat: AV-2026-1234 → AV-2026-1243")
        assert closed < first < changed
        assert "Ada Admin" in course[first:]
    ticks = page.split("Kontakter och uppföljning", 1)[1].split("Ärenden", 1)[0]
    assert "Avvikelsenummer" not in ticks
    client.post("/language", data={"lang": "en", "next": "/"})
    english = _words(visible(client.get(url).get_data(as_text=True)))
    assert "Deviation report number changed: AV-2026-1234 → AV-2026-1243" in english


def test_the_same_number_again_changes_nothing(
    app: Flask, client: FlaskClient, seeded: Seeded
) -> None:
    _login(client, "fu-sara")
    assert _record(client, seeded.incident_id, "AV-1", "a" * 20).status_code == 302
    response = _record(client, seeded.incident_id, "AV-1", "b" * 20)
    assert response.status_code == 302
    answer = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Avvikelsenumret är redan AV-1." in answer and "flash-error" not in answer
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent.id).where(AuditEvent.action == "incident_deviation")
        ).all()
        assert len(events) == 1


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("AV<2026>", "Bara bokstäver, siffror, mellanslag och - _ / . : #"),
        ("AV-" + "1" * 40, "Högst 40 tecken."),
        ("Avvikelse", "Avvikelsenumret har minst en siffra."),
        # A patient's number typed into the wrong field would be passed on to the administrators.
        ("19121212-1212", "Det ser ut som ett personnummer"),
        ("AV 121212-1212", "Det ser ut som ett personnummer"),
    ],
)
def test_a_bad_number_is_refused_in_swedish_beside_the_field_and_kept(
    app: Flask, client: FlaskClient, seeded: Seeded, typed: str, message: str
) -> None:
    _login(client, "fu-sara")
    response = _record(client, seeded.incident_id, typed)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="deviation_number-error"' in page
    assert f'value="{typed.replace("<", "&lt;").replace(">", "&gt;")}"' in page
    assert _stored(app, seeded.incident_id) == ""


def test_a_running_outage_takes_the_number_too(app: Flask, client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    auth.login("secretary")
    incident_id = declare_incident(client)
    assert _record(client, incident_id, "AV-2026-7").status_code == 302
    assert _stored(app, incident_id) == "AV-2026-7"


@pytest.mark.parametrize("role", ["radiographer", "radiologist"])
def test_clinical_roles_cannot_record_the_number(
    app: Flask, client: FlaskClient, auth, role: str
) -> None:  # type: ignore[no-untyped-def]
    auth.login(role)
    incident_id = declare_incident(client)
    assert _record(client, incident_id, "AV-2026-7").status_code == 403
    assert _stored(app, incident_id) == ""
    assert "Avvikelsenummer" not in client.get(f"/incidents/{incident_id}").get_data(as_text=True)
