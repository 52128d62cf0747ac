"""The radiologist's worklist keeps cases past their priority's deadline in sight."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from .factories import number_of, referral_data


def test_worklist_shows_a_case_past_its_deadline_beyond_the_most_urgent_rows(
    client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.reporting import views

    monkeypatch.setattr(views, "WORKLIST_ROWS", 1)
    now = datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H:%M")
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    # "Inom timmar" may wait 360 minutes in the example site; this one arrived long ago.
    late = referral_data(
        key_suffix="t", priority="inom_timmar", patient_name="Tim Timme",
        arrived_at="2026-01-15T08:00",
    )  # fmt: skip
    client.post("/cases/new", data=late)
    client.post(
        "/cases/new", data=referral_data(key_suffix="a", patient_name="Ada Akut", arrived_at=now)
    )
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert "T. T." in page and "Försenad" in page
    assert page.count("Försenad") == 1  # the akut case arrived just now
    assert "A. A." not in page and "Visa alla" in page


def test_worklist_rows_in_order_with_their_masked_patient_and_priority(
    app, client: FlaskClient, auth
) -> None:
    from webapp.extensions import db
    from webapp.models import Incident
    from webapp.reporting.queries import worklist
    from webapp.sites import site_config

    from .factories import default_site, unidentified_referral_data

    local = datetime.now(ZoneInfo("Europe/Stockholm"))
    now = local.strftime("%Y-%m-%dT%H:%M")
    earlier = (local - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    for data in (
        referral_data(key_suffix="r", priority="rutin", patient_name="Rut Rutin",
                      arrived_at="2026-01-15T07:00"),
        referral_data(key_suffix="a", patient_name="Ada Akut", arrived_at=now),
        referral_data(key_suffix="t", priority="inom_timmar", patient_name="Tim Timme",
                      arrived_at="2026-01-15T08:00"),
        unidentified_referral_data(key_suffix="x", arrived_at=earlier),
    ):  # fmt: skip
        assert client.post("/cases/new", data=data).status_code == 302
    with app.app_context():
        incident = db.session.query(Incident).one()
        items = worklist(incident.id, site_config(default_site()))
    shown = [(str(i.patient), i.priority_label, i.is_overdue, i.status) for i in items]
    # Past its deadline first; then by priority, the longest waiting first within one.
    assert shown == [
        (f"T. T. · {number_of('Tim Timme')[:9]}****", "Inom timmar", True, "referral_received"),
        ("Okänd · RES-0007", "Akut", False, "referral_received"),
        (f"A. A. · {number_of('Ada Akut')[:9]}****", "Akut", False, "referral_received"),
        (f"R. R. · {number_of('Rut Rutin')[:9]}****", "Rutin", False, "referral_received"),
    ]
    assert all(i.waiting_minutes >= 0 and i.report_state == "" for i in items)


def test_an_admins_worklist_rows_open_pages_the_admin_may_see(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The reporting screen is the radiologist's: a row leading there answered the admin 403.
    auth.login("admin")
    page = client.get("/reporting/").get_data(as_text=True)
    assert f'href="/cases/{case_id}"' in page and f'href="/reporting/{case_id}"' not in page
    assert client.get(f"/cases/{case_id}").status_code == 200
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert f'href="/reporting/{case_id}"' in page
