"""The board's counts and banners across outages, and the incident list's minutes waited."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from .factories import case_code, declare_incident, exam_data, local_minute, referral_data
from .routines_support import report_form


def _count(page: str) -> str:
    """The board's count of its cases, as its line above the rows says it."""
    hint = page.split('class="hint board-updated"', 1)[1].split("</p>", 1)[0]
    match = re.search(r"· (\d+ ärenden?)\b", hint)
    assert match is not None, hint
    return match.group(1)


def test_board_counts_one_case_in_the_singular(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    declare_incident(client)
    assert client.post("/cases/new", data=referral_data()).status_code == 302
    assert _count(client.get("/board/").get_data(as_text=True)) == "1 ärende"
    assert _count(client.get("/board/rows").get_data(as_text=True)) == "1 ärende"
    client.post("/cases/new", data=referral_data(key_suffix="b", patient_name="Bo Berg"))
    assert _count(client.get("/board/").get_data(as_text=True)) == "2 ärenden"


def test_worklist_counts_one_case_in_the_singular(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    declare_incident(client)
    assert client.post("/cases/new", data=referral_data()).status_code == 302
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert re.search(r"\b1 ärende\b", page) and "1 ärenden" not in page


def test_incident_list_counts_minutes_waited_from_the_referrals_arrival(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The board's rule: from when the referral arrived, until its definitive report."""
    from webapp.extensions import db
    from webapp.models import Incident, utcnow
    from webapp.printing.list_sheets import incident_list_sheet
    from webapp.sites import site_config

    auth.login("radiographer")
    incident_id = declare_incident(client)
    # Faxed 90 minutes ago, typed in only now.
    late = client.post(
        "/cases/new", data=referral_data(arrived_at=local_minute(-timedelta(minutes=90)))
    ).headers["Location"]
    reported = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="d", patient_name="Dora Def", arrived_at=local_minute(-timedelta(hours=2))
        ),
    ).headers["Location"]
    reported_id = int(reported.rsplit("/", 1)[-1])
    client.post(reported + "/exam", data=exam_data())
    auth.login("radiologist")
    signed = client.post(f"/reporting/{reported_id}", data=report_form("definitive", "d" * 20))
    assert signed.status_code == 302
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        sheet = incident_list_sheet(
            incident, site_config(incident.site), masked=False, printed_at=utcnow()
        )
        waited = {row.case_code: row.waited for row in sheet.cases}
        late_code = case_code(app, int(late.rsplit("/", 1)[-1]))
        assert waited[late_code] in ("1 h 29 min", "1 h 30 min", "1 h 31 min")
        # Definitively reported: it no longer waits, as on the board.
        assert waited[case_code(app, reported_id)] == ""


def test_a_reconciled_case_with_its_urgent_call_unmade_keeps_its_outage_named(
    client: FlaskClient, auth, case_id: int
) -> None:
    """Keyed into RIS, but the referrer not yet phoned: still on its way, so still in sight
    once a second outage is declared and the tablets work in that one."""
    auth.login("radiologist")
    urgent = report_form("definitive", "u" * 20)
    urgent["is_urgent"] = "y"
    assert client.post(f"/reporting/{case_id}", data=urgent).status_code == 302
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    auth.login("radiographer")
    declare_incident(client, "om_ris")
    auth.login("radiographer", username="next-shift")
    page = client.get("/board/").get_data(as_text=True)
    assert "Ett annat driftstopp pågår också" in page
    assert "1 ärende är inte klart där" in page
    auth.login("radiologist")
    assert "Ett annat driftstopp pågår också" in client.get("/reporting/").get_data(as_text=True)


def test_incident_list_names_the_scenario_as_the_site_does_not_by_its_key(
    app: Flask, client: FlaskClient, auth
) -> None:
    from webapp.extensions import db
    from webapp.models import Incident, utcnow
    from webapp.printing.list_sheets import incident_list_sheet
    from webapp.sites import site_config

    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        sheet = incident_list_sheet(
            incident, site_config(incident.site), masked=True, printed_at=utcnow()
        )
    assert sheet.scenario == "Beställningsverktyget eller RIS nere"
