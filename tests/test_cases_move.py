"""A case taken into the wrong incident (a real patient into a drill, or the wrong one of two
open outages) is moved to another open incident of its site, with a reason, once."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Incident, IncidentLogEntry, RecordVersion, utcnow

from .factories import case_code, declare_incident, incident_of, referral_data, second_site
from .test_double_tap_sweep import form_fields


def drill_case_beside_outage(client: FlaskClient, auth: Any) -> tuple[int, int, int]:
    """A referral taken in a drill, then a real outage declared beside it: (drill, real, case)."""
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    real = declare_incident(client, "om_ris")
    return drill, real, int(location.rsplit("/", 1)[-1])


def move_form(client: FlaskClient, case_id: int, target: int, reason: str) -> dict[str, str]:
    """What the case page's move form sends, the target chosen and the reason typed."""
    url = f"/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    return form_fields(page, url + "/move") | {"target": str(target), "reason": reason}


def _moved(client: FlaskClient, auth: Any) -> tuple[int, int, int]:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Riktig patient, togs emot i övningen")
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    return drill, real, case_id


def _text(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_real_patients_case_in_a_drill_moves_to_the_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = _moved(client, auth)
    assert incident_of(app, case_id) == real
    with app.app_context():
        version = db.session.scalar(
            select(RecordVersion).where(
                RecordVersion.entity == "case", RecordVersion.case_id == case_id
            )
        )
        assert version.changes["incident_id"] == [drill, real]
        assert version.changes["in_drill"] == [True, False]
        assert version.reason == "Riktig patient, togs emot i övningen"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "case_move"))
        assert event.case_id == case_id
        assert f"driftstopp {drill} (övning) → driftstopp {real}" in event.detail
        logs = db.session.scalars(
            select(IncidentLogEntry).where(IncidentLogEntry.step_key == "case_move")
        ).all()
        assert {e.incident_id for e in logs} == {drill, real}
        assert all(e.note == "Riktig patient, togs emot i övningen" for e in logs)


def test_the_case_page_names_the_move_in_its_history(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, _real, case_id = _moved(client, auth)
    page = _text(client.get(f"/cases/{case_id}"))
    found = re.search(rf"Flyttad (\d\d:\d\d) från driftstopp {drill} \(övning\) av ([^:<]+)", page)
    assert found, page
    assert "Riktig patient, togs emot i övningen" in page.split(found.group(0), 1)[1][:300]


def test_each_incidents_log_names_the_move(client: FlaskClient, auth: Any) -> None:
    drill, real, case_id = _moved(client, auth)
    code = re.search(r"[2-9A-Z]{3}-[2-9A-Z]{3}", _text(client.get(f"/cases/{case_id}"))).group(0)
    source = _text(client.get(f"/incidents/{drill}"))
    target = _text(client.get(f"/incidents/{real}"))
    assert f"Ärende {code} flyttat till driftstopp {real}" in source
    assert f"Ärende {code} flyttat hit från driftstopp {drill} (övning)" in target
    assert "flyttat hit" not in source and "– klar" not in target.split("flyttat hit", 1)[1][:200]


def test_the_moved_case_is_on_the_targets_board_worklist_and_catchup_only(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = _moved(client, auth)
    code = case_code(app, case_id)
    assert code in _text(client.get(f"/board/?incident={real}"))
    assert code not in _text(client.get(f"/board/?incident={drill}"))
    auth.login("secretary")
    assert code in _text(client.get(f"/catchup/incidents/{real}"))
    assert code not in _text(client.get(f"/catchup/incidents/{drill}"))
    csv = client.get(f"/catchup/incidents/{real}/export/csv").data.decode("utf-8-sig")
    rows = [line for line in csv.splitlines() if code in line]
    assert len(rows) == 1 and "ÖVNING" not in rows[0]
    assert code not in client.get(f"/catchup/incidents/{drill}/export/csv").data.decode("utf-8-sig")
    auth.login("radiologist")
    assert client.post(f"/incidents/{real}/select").status_code == 302
    assert code in _text(client.get("/reporting/"))
    assert client.post(f"/incidents/{drill}/select").status_code == 302
    assert code not in _text(client.get("/reporting/"))


def test_the_latest_real_outages_export_holds_the_moved_case(
    app: Flask, client: FlaskClient, auth: Any, runner: Any
) -> None:
    _drill, _real, case_id = _moved(client, auth)
    out = str(Path(app.config["DATA_DIR"]) / "export.csv")
    result = runner.invoke(args=["export-batch", "--format", "csv", "--output", out])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig") as f:
        assert case_code(app, case_id) in f.read()


def test_a_move_tapped_twice_moves_once(app: Flask, client: FlaskClient, auth: Any) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Fel driftstopp")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    second = client.post(f"/cases/{case_id}/move", data=data, follow_redirects=True)
    assert second.status_code == 200 and "Ärendet är flyttat" in _text(second)
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "case_move"))
        assert len(events.all()) == 1


def test_a_move_needs_a_reason_and_keeps_the_choice(client: FlaskClient, auth: Any) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    response = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, real, ""))
    assert response.status_code == 400
    page = _text(response)
    assert "Ange varför ärendet flyttas." in page
    assert re.search(rf'<input checked[^>]*value="{real}"', page)


def _refused(client: FlaskClient, case_id: int, data: dict[str, str], why: str) -> None:
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 409, response.status_code
    page = _text(response)
    assert why in page
    assert data["reason"] in page  # the reason typed stays


def test_a_move_to_an_outage_ended_meanwhile_is_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Fel driftstopp")
    with app.app_context():
        db.session.execute(update(Incident).where(Incident.id == real).values(ended_at=utcnow()))
        db.session.commit()
    _refused(client, case_id, data, "Driftstoppet du valde är avslutat.")
    assert incident_of(app, case_id) == drill


def test_a_move_to_its_own_incident_is_refused(app: Flask, client: FlaskClient, auth: Any) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Fel driftstopp") | {"target": str(drill)}
    _refused(client, case_id, data, "Ärendet ligger redan i det driftstoppet.")


def test_a_move_to_another_sites_outage_is_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    other_site = second_site(app)
    with app.app_context():
        other = Incident(
            site_id=other_site, scenario="integration", title="Lillby", declared_by_id=1
        )
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    data = move_form(client, case_id, real, "Fel enhet") | {"target": str(other_id)}
    _refused(client, case_id, data, "Driftstoppet du valde finns inte här.")
    assert incident_of(app, case_id) == drill


def test_a_move_from_a_page_older_than_the_case_is_refused(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Fel driftstopp")
    priority = {"priority": "inom_timmar", "reason": "Stabil"}
    auth.login("radiologist")
    assert client.post(f"/reporting/{case_id}/priority", data=priority).status_code == 302
    _refused(client, case_id, data, "Ärendet har ändrats sedan sidan öppnades")
    assert incident_of(app, case_id) == drill


def test_a_case_of_an_ended_incident_is_not_moved(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Fel driftstopp")
    with app.app_context():
        db.session.execute(update(Incident).where(Incident.id == drill).values(ended_at=utcnow()))
        db.session.commit()
    response = client.post(f"/cases/{case_id}/move", data=data, follow_redirects=True)
    assert "avslutat" in _text(response)
    assert incident_of(app, case_id) == drill


def test_no_move_is_offered_without_another_open_incident(client: FlaskClient, auth: Any) -> None:
    auth.login("radiographer")
    declare_incident(client)
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert "/move" not in client.get(location).get_data(as_text=True)


@pytest.mark.parametrize("role", ["radiographer", "radiologist", "secretary", "admin"])
def test_every_clinical_role_may_move_a_case(
    app: Flask, client: FlaskClient, auth: Any, role: str
) -> None:
    _drill, real, case_id = drill_case_beside_outage(client, auth)
    auth.login(role)
    data = move_form(client, case_id, real, "Fel driftstopp")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    assert incident_of(app, case_id) == real
    with app.app_context():
        assert db.session.get(Case, case_id).incident_id == real


def test_the_case_page_with_its_move_form_has_no_duplicate_ids(
    client: FlaskClient, auth: Any
) -> None:
    from .test_unique_ids import duplicate_ids

    _drill, real, case_id = drill_case_beside_outage(client, auth)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert f"/cases/{case_id}/move" in page
    assert duplicate_ids(page) == {}
    refused = client.post(f"/cases/{case_id}/move", data=move_form(client, case_id, real, ""))
    assert duplicate_ids(refused.get_data(as_text=True)) == {}


def test_the_history_page_shows_the_move_as_a_change_of_the_case(
    client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = _moved(client, auth)
    page = _text(client.get(f"/cases/{case_id}/history"))
    row = re.search(r"<td>Driftstopp</td><td[^>]*>(\d+)</td><td[^>]*>(\d+)</td>", page)
    assert row and row.groups() == (str(drill), str(real))
    assert re.search(r"<td>Övning</td><td[^>]*>Ja</td><td[^>]*>Nej</td>", page)
    assert "Riktig patient, togs emot i övningen" in page


@pytest.mark.parametrize("target", ["", "två", "-2", "9" * 12])
def test_a_target_that_is_no_incident_number_is_asked_for_again(
    app: Flask, client: FlaskClient, auth: Any, target: str
) -> None:
    # Twelve digits: beyond PostgreSQL's integer column, asked for again rather than looked up.
    drill, real, case_id = drill_case_beside_outage(client, auth)
    data = move_form(client, case_id, real, "Fel driftstopp") | {"target": target}
    response = client.post(f"/cases/{case_id}/move", data=data)
    assert response.status_code == 400
    page = _text(response)
    assert "Välj driftstopp att flytta till." in page and "Fel driftstopp" in page
    assert incident_of(app, case_id) == drill


def test_the_follow_up_names_a_move_in_its_course_and_counts_it_as_no_tick(
    client: FlaskClient, auth: Any
) -> None:
    # The move's log entries are the case's, not the routine's: an event of each outage's
    # course (a real patient taken into a drill is what the follow-up is for), never a tick.
    drill, real, _case_id = _moved(client, auth)
    auth.login("secretary")
    for incident, where in ((drill, "flyttat till"), (real, "flyttat hit från")):
        page = _text(client.get(f"/incidents/{incident}/followup"))
        course, _, rest = page.partition("Kontakter och uppföljning")
        ticks = rest.partition("<h2>")[0]
        assert where in course.partition("Förlopp")[2]
        assert "flyttat" not in ticks and "togs emot i övningen" not in ticks
