"""The second look waits on where the images were read as last signed, not as last saved: a
preliminary report signed read on the modality (its fax said "Eftergranskas i PACS") and saved
again without a signature read in PACS still waits, and one signed read in PACS and saved read on
the modality was never faxed asking for it. A later signature read in PACS ends the wait."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Report
from webapp.reporting.second_look import NOT_READ_ON_MODALITY
from webapp.second_look_rule import awaiting_second_look_codes, awaits_second_look_clause

from .factories import report_data
from .other_site_support import visible

FLAG = "Eftergranska i PACS"
# (signed with, saved since without a signature), and whether the case waits for a second look.
DIRECTIONS = [("modality", "pacs", True), ("pacs", "modality", False)]
IDS = ["signed-modality-saved-pacs", "signed-pacs-saved-modality"]


def _report(client: FlaskClient, app: Flask, case_id: int, action: str, read_on: str, key: str):
    data = report_data(action, key * 20) | {"read_on": read_on}
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        if case.report is not None:
            # The tablet shows the report as it stands now.
            data["version"] = str(case.report.version)
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302


def _signed_then_saved(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str
) -> None:
    """Signed preliminary read on `signed`, saved since unsigned read on `saved`; logged in as
    the radiologist."""
    auth.login("radiologist")
    data = report_data("preliminary", "p" * 20) | {"read_on": signed}
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    _report(client, app, case_id, "save", saved, "s")
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.case_id == case_id))
        assert report is not None
        assert report.read_on == saved and report.state == "preliminary"


def _look(client: FlaskClient, case_id: int):
    return client.post(
        f"/reporting/{case_id}/second-look", data={"form_key": "l" * 20, "outcome": "no_change"}
    )


def _waits(app: Flask, case_id: int) -> tuple[bool, bool]:
    """The board's SQL clause and the report's own rule, for the case."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.report is not None
        clause = db.session.scalar(select(awaits_second_look_clause()).where(Case.id == case_id))
        return bool(clause), case.report.awaits_second_look


def _incident(app: Flask, case_id: int) -> tuple[int, str]:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None
        return case.incident_id, case.code


@pytest.mark.parametrize(("signed", "saved", "waits"), DIRECTIONS, ids=IDS)
def test_the_board_flags_the_second_look_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, waits: bool
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved)
    assert (FLAG in visible(client.get("/board/").get_data(as_text=True))) == waits


@pytest.mark.parametrize(("signed", "saved", "waits"), DIRECTIONS, ids=IDS)
def test_the_followup_lists_the_second_look_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, waits: bool
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved)
    incident_id, code = _incident(app, case_id)
    with app.app_context():
        assert awaiting_second_look_codes(incident_id) == ((code,) if waits else ())


@pytest.mark.parametrize(("signed", "saved", "waits"), DIRECTIONS, ids=IDS)
def test_the_case_page_flags_the_second_look_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, waits: bool
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved)
    page = visible(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert (FLAG in page) == waits


@pytest.mark.parametrize(("signed", "saved", "waits"), DIRECTIONS, ids=IDS)
def test_the_report_screen_offers_the_second_look_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, waits: bool
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved)
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert (f'action="/reporting/{case_id}/second-look' in page) == waits
    assert ('id="second-look"' in page) == waits


@pytest.mark.parametrize(("signed", "saved", "waits"), DIRECTIONS, ids=IDS)
def test_the_second_look_is_recorded_as_signed(
    app: Flask, client: FlaskClient, auth, case_id: int, signed: str, saved: str, waits: bool
) -> None:
    _signed_then_saved(app, client, auth, case_id, signed, saved)
    response = _look(client, case_id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (NOT_READ_ON_MODALITY.split(":")[0] in " ".join(page.split())) == (not waits)
    with app.app_context():
        report = db.session.scalar(select(Report).where(Report.case_id == case_id))
        assert report is not None and (report.second_look_at is not None) == waits
    assert _waits(app, case_id) == (False, False)


def test_a_definitive_signature_read_in_pacs_ends_the_wait(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _report(client, app, case_id, "preliminary", "modality", "p")
    assert _waits(app, case_id) == (True, True)
    _report(client, app, case_id, "definitive", "pacs", "d")
    assert _waits(app, case_id) == (False, False)
    incident_id, _code = _incident(app, case_id)
    with app.app_context():
        assert awaiting_second_look_codes(incident_id) == ()
    assert FLAG not in visible(client.get("/board/").get_data(as_text=True))
    assert FLAG not in visible(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="second-look"' not in client.get(f"/reporting/{case_id}").get_data(as_text=True)


# Each history as the radiologist writes it: (action, read_on) in turn, and whether the report
# then waits. The board's clause and the report's own rule must agree on every one.
HISTORIES = {
    "draft-modality": ([("save", "modality")], False),
    "preliminary-modality": ([("preliminary", "modality")], True),
    "preliminary-pacs": ([("preliminary", "pacs")], False),
    "signed-modality-saved-pacs": ([("preliminary", "modality"), ("save", "pacs")], True),
    "signed-modality-saved-unsaid": ([("preliminary", "modality"), ("save", "")], True),
    "signed-pacs-saved-modality": ([("preliminary", "pacs"), ("save", "modality")], False),
    "modality-then-definitive-pacs": ([("preliminary", "modality"), ("definitive", "pacs")], False),
    "pacs-then-definitive-modality": ([("preliminary", "pacs"), ("definitive", "modality")], True),
    "definitive-modality": ([("definitive", "modality")], True),
}


@pytest.mark.parametrize(("steps", "waits"), HISTORIES.values(), ids=HISTORIES.keys())
def test_the_board_clause_and_the_report_rule_agree(
    app: Flask,
    client: FlaskClient,
    auth,
    case_id: int,
    steps: list[tuple[str, str]],
    waits: bool,
) -> None:
    auth.login("radiologist")
    for n, (action, read_on) in enumerate(steps):
        _report(client, app, case_id, action, read_on, "abcdef"[n])
    assert _waits(app, case_id) == (waits, waits)


def test_an_addendum_after_a_definitive_read_on_the_modality_keeps_the_wait(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # An addendum signs only itself: it says nothing of where the report's images were read.
    auth.login("radiologist")
    _report(client, app, case_id, "definitive", "modality", "d")
    data = {"form_key": "a" * 20, "text": "Liten fraktur i revben 5 höger.", "addenda_shown": "0"}
    assert client.post(f"/reporting/{case_id}/addendum", data=data).status_code == 302
    assert _waits(app, case_id) == (True, True)


def test_a_recorded_second_look_stays_shown_after_a_signature_read_in_pacs(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    _report(client, app, case_id, "preliminary", "modality", "p")
    assert _look(client, case_id).status_code == 302
    _report(client, app, case_id, "definitive", "pacs", "d")
    page = " ".join(visible(client.get(f"/reporting/{case_id}").get_data(as_text=True)).split())
    assert "Eftergranskad i PACS" in page and "Ingen ändring" in page
    assert _waits(app, case_id) == (False, False)
