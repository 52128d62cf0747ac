"""Catch-up steps of a case: what RIS needs, each tick with its user and time, flags before a
step (preliminary report, duplicate accession), the four-eyes check, unticking, a waiver's
reason."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import CatchupTick

from .catchup_support import book, confirm_waiver, tick_all
from .catchup_world_support import _status
from .catchup_world_support import world as world  # the fixture


def test_catchup_view_shows_what_ris_needs(client: FlaskClient, world) -> None:
    page = client.get(f"/catchup/cases/{world['ids'][0]}").get_data(as_text=True)
    for text in (
        "19121212-1212",
        "Örjan Älvström",
        "Akutmottagningen",
        "TMP-CT1-0042",
        "DLP 812,5 mGy·cm",
        "Ingen blödning.",
    ):
        assert text in page
    assert page.index("19121212-1212") < page.index("Akutmottagningen") < page.index("TMP-CT1-0042")


def test_each_tick_records_user_and_time(app: Flask, client: FlaskClient, world) -> None:
    book(client, world["ids"][0])
    with app.app_context():
        tick = db.session.scalar(select(CatchupTick))
        assert tick.user.username == "test-secretary" and tick.at is not None


def test_preliminary_report_is_flagged_before_the_report_step(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "bara PRELIMINÄRT signerat" in page
    book(client, case_id)  # the report is keyed on the booking
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1"},
        follow_redirects=True,
    )
    assert "Bekräfta att det ska läggas in som preliminärt" in response.get_data(as_text=True)
    client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1", "confirm_preliminary": "y"},
    )
    with app.app_context():
        assert db.session.scalar(select(CatchupTick).where(CatchupTick.case_id == case_id)).is_done


def test_duplicate_accession_is_flagged_and_needs_confirmation(
    app: Flask, client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "exs10000001"})
    assert response.status_code == 400
    assert f"används redan av ärende {world['codes'][0]}" in response.get_data(as_text=True)
    client.post(
        f"/catchup/cases/{second}/ris",
        data={"ris_accession": "EXS10000001", "allow_duplicate": "y"},
    )
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "Accessionsnumret finns även på ärende" in page


def test_a_duplicate_accession_names_the_other_cases_patient(client: FlaskClient, world) -> None:
    # Whether the number is a typo (another patient's exam) or the same patient's second case
    # is told by the other case's patient: its code alone tells the secretary neither.
    first, second = world["ids"]
    other = f"{world['codes'][0]} (Örjan Älvström, 19121212-1212)"
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "EXS10000001"})
    assert f"används redan av ärende {other}." in response.get_data(as_text=True)
    client.post(
        f"/catchup/cases/{second}/ris",
        data={"ris_accession": "EXS10000001", "allow_duplicate": "y"},
    )
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    flag = page.replace("<bdi>", "").replace("</bdi>", "")
    assert f"Accessionsnumret finns även på ärende {other}." in flag


@pytest.mark.parametrize(
    "typed",
    [
        "EXS 1000 0001",
        "EXS-10000001",
        "exs10000001 ",
        "EXS_1000_0001",
        "EXS/1000/0001",
        "EXS.10000001",
    ],
)
def test_the_same_accession_typed_with_other_separators_is_flagged(
    client: FlaskClient, world, typed: str
) -> None:
    # Copied from RIS on one case and typed from the paper on another: still one RIS exam.
    first, second = world["ids"]
    client.post(f"/catchup/cases/{first}/ris", data={"ris_accession": "EXS10000001"})
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": typed})
    assert response.status_code == 400
    assert f"används redan av ärende {world['codes'][0]}" in response.get_data(as_text=True)


def test_four_eyes_needs_a_second_secretary(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _status(app, case_id) == "keyed_in_ris"
    response = client.post(f"/catchup/cases/{case_id}/verify", follow_redirects=True)
    assert "någon annan än den som registrerade" in response.get_data(as_text=True)
    assert _status(app, case_id) == "keyed_in_ris"
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/verify")
    assert _status(app, case_id) == "closed"


def test_without_four_eyes_a_keyed_case_is_reconciled(
    app: Flask, client: FlaskClient, world
) -> None:
    from webapp.models import Site
    from webapp.sites import save_site_config

    with app.app_context():
        site = db.session.get(Site, 1)
        save_site_config(
            site.id, site.config_toml.replace("four_eyes = true", "four_eyes = false"), None
        )
    tick_all(client, world["ids"][0])
    assert _status(app, world["ids"][0]) == "closed"


def test_a_case_keyed_before_four_eyes_was_turned_off_can_still_be_reconciled(
    app: Flask, client: FlaskClient, world
) -> None:
    from webapp.models import Site
    from webapp.sites import save_site_config

    case_id = world["ids"][0]
    tick_all(client, case_id)
    assert _status(app, case_id) == "keyed_in_ris"
    with app.app_context():
        site = db.session.get(Site, 1)
        save_site_config(
            site.id, site.config_toml.replace("four_eyes = true", "four_eyes = false"), None
        )
    # The batch page says what is left, and the case page offers it to the one secretary.
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    assert "Kvar: Kontroll mot papperet" in " ".join(batch.split())
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert f"/catchup/cases/{case_id}/verify" in page
    client.post(f"/catchup/cases/{case_id}/verify")
    assert _status(app, case_id) == "closed"


def test_unticking_reopens_a_keyed_case(app: Flask, client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "exam_completed", "is_done": "0"})
    assert _status(app, case_id) == "report_definitive"


def test_waiver_needs_a_reason(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][1]
    assert client.post(f"/catchup/cases/{case_id}/waive", data={"reason": ""}).status_code == 400
    assert _status(app, case_id) == "report_preliminary"
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": "Inlagd direkt i RIS"})
    # Four eyes (on at the test site): the waiver stands once a second secretary confirms it.
    assert _status(app, case_id) == "report_preliminary"
    confirm_waiver(client, auth, case_id)
    assert _status(app, case_id) == "closed"
