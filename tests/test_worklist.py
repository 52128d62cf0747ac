"""The radiologist's worklist keeps cases past their priority's deadline in sight."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from .factories import referral_data


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
