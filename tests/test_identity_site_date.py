"""A personnummer looked up (a blank's patient, the access log, an image transfer, a draft's
audit rows) is read on the site's date, as the referral stored it: not on the laptop's.

A child born today at the site was stored as born today; read on the laptop's date (a server
on UTC, still on yesterday after midnight at the site), the same number is "in the future" in
its twelve-digit form, and in its ten-digit form names a person born a hundred years earlier.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.identity import luhn_check_digit
from webapp.models import Draft, ImageTransfer

from .catchup_support import reserve_blank
from .factories import case_code, referral_data

NAME = "Nyfödd Flicka"


@pytest.fixture
def site_ahead(app: Flask) -> Iterator[date]:
    """The laptop's clock at UTC-12, the site at UTC+14: the site is always a day or two ahead
    of the laptop. The site's date."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Etc/GMT+12"
    time.tzset()
    app.config["TIMEZONE"] = "Pacific/Kiritimati"
    try:
        today = datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
        assert today > date.today()
        yield today
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def _born(day: date) -> tuple[str, str]:
    """A girl's personnummer born on the day: its twelve-digit and its ten-digit form."""
    nine = day.strftime("%y%m%d") + "242"
    serial = f"242{luhn_check_digit(nine)}"
    return f"{day:%Y%m%d}-{serial}", f"{day:%y%m%d}-{serial}"


def _newborn_case(client: FlaskClient, auth, born: str, scenario: str = "integration") -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": scenario})
    response = client.post(
        "/cases/new", data=referral_data(personal_number=born, patient_name=NAME)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


@pytest.mark.parametrize("form", [0, 1])
def test_a_blank_finds_a_child_born_today_at_the_site(
    app: Flask, client: FlaskClient, auth, site_ahead: date, form: int
) -> None:
    written = _born(site_ahead)
    _newborn_case(client, auth, written[0])
    code = reserve_blank(app, client, auth, "BLD")
    auth.login("radiographer")
    response = client.post(f"/blanks/{code}/attach", data={"typed": written[form]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert NAME in page and written[0] in page
    assert "framtiden" not in page


@pytest.mark.parametrize("form", [0, 1])
def test_the_access_log_finds_a_child_born_today_at_the_site(
    client: FlaskClient, auth, site_ahead: date, form: int
) -> None:
    written = _born(site_ahead)
    _newborn_case(client, auth, written[0])
    auth.logout()
    auth.login("admin")
    page = client.get("/admin/audit", query_string={"patient": written[form]}).get_data(
        as_text=True
    )
    assert 'id="patient-error"' not in page
    assert f"<td>{written[0].replace('-', '')}</td>" in page


def test_a_transfer_takes_a_child_born_today_at_the_site_as_its_case_patient(
    app: Flask, client: FlaskClient, auth, site_ahead: date
) -> None:
    twelve, ten = _born(site_ahead)
    case_id = _newborn_case(client, auth, twelve, scenario="image_transfer")
    response = client.post(
        "/routines/transfers/new",
        data={
            "direction": "send",
            "counterpart": "grannby_us",
            "urgency": "akut",
            "case_code": case_code(app, case_id),
            "patient_ref": ten,
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        transfer = db.session.scalar(select(ImageTransfer))
        assert transfer is not None
        assert (transfer.case_id, transfer.patient_ref) == (case_id, twelve)


def test_a_referral_draft_names_a_child_born_today_at_the_site_in_the_log(
    app: Flask, site_ahead: date
) -> None:
    from webapp.drafts.queries import typed_patient  # after the app: the packages import each other

    twelve, ten = _born(site_ahead)
    draft = Draft(kind="referral", data={"id_mode": "pnr", "personal_number": ten})
    with app.app_context():
        assert typed_patient(draft) == twelve.replace("-", "")
