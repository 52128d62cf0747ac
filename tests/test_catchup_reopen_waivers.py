"""A waived case back in the catch-up: lifted by a signed report or a documented exam (not by a
referral edit) or by a blank joined with what it holds not yet in the app, saying why and
listed first; a stale 'never examined' waiver refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.closing import outstanding_count
from webapp.models import Case, ReservedCode

from .catchup_support import confirm_waiver
from .catchup_world_support import _record, _reopens, _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import exam_data, hidden_value, referral_data, report_data


def _waive(client: FlaskClient, auth, case_id: int, reason: str, shown: str = "") -> None:
    """The logged-in secretary waives the case and sek2 confirms it (four eyes, on at the test
    site): the waiver stands. The first secretary is logged in again after."""
    data = {"reason": reason} | ({"shown": shown} if shown else {})
    assert client.post(f"/catchup/cases/{case_id}/waive", data=data).status_code == 302
    confirm_waiver(client, auth, case_id)
    auth.logout()
    auth.login("secretary")


def test_a_report_signed_after_a_waiver_lifts_it_but_a_referral_edit_does_not(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    for case_id in (first, second):
        _waive(client, auth, case_id, "Inlagd direkt i RIS")
        assert _status(app, case_id) == "closed"
    auth.logout()
    auth.login("radiographer")
    edit = referral_data(key_suffix="e", clinical_question="Blödning? Kompletterad frågeställning.")
    edit |= _shown(app, first, "referral")
    assert client.post(f"/cases/{first}/referral", data=edit).status_code == 302
    with app.app_context():
        edited = db.session.get(Case, first)
        assert edited is not None and edited.referral is not None
        assert edited.referral.clinical_question == "Blödning? Kompletterad frågeställning."
    assert _status(app, first) == "closed" and _record(app, first).waived_at is not None

    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "w" * 20) | _shown(app, second, "report")
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    assert _status(app, second) == "report_definitive"
    assert _record(app, second).waived_at is None
    assert "Inlagd direkt i RIS" in _reopens(app)[0]


def test_a_lifted_waiver_says_why_the_case_is_back_and_lists_it_first(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    second = world["ids"][1]
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Inlagd direkt i RIS"})
    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "w" * 20) | _shown(app, second, "report")
    signed["sections-1-text"] = "Subduralt hematom höger, 8 mm."
    assert client.post(f"/reporting/{second}", data=signed).status_code == 302
    auth.logout()
    auth.login("secretary")
    # Nothing was ticked here (it went into RIS directly), yet RIS now holds the old report.
    page = client.get(f"/catchup/cases/{second}").get_data(as_text=True)
    assert "signerades definitivt efter att det lagts in i RIS" in page
    batch = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    row = batch.split('class="outstanding"', 1)[1].split("</ul>", 1)[0]
    assert "signerades definitivt efter att det lagts in i RIS" in row
    assert batch.index(world["codes"][1]) < batch.index(world["codes"][0])


def test_an_exam_documented_after_a_waiver_lifts_it(app: Flask, client: FlaskClient, auth) -> None:
    """Waived as never examined, then examined after all: the exam must reach RIS and the
    radiologist, so the case is outstanding again and the incident cannot end on it."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="w")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    _waive(client, auth, case_id, "Patienten kom aldrig")
    assert _status(app, case_id) == "closed"
    auth.logout()
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="w")).status_code == 302
    assert _status(app, case_id) == "exam_done"
    assert _record(app, case_id).waived_at is None
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        assert outstanding_count(incident_id) == 1
    assert "Patienten kom aldrig" in _reopens(app)[0]
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Undersökningen dokumenterades efter att ärendet undantagits" in page


def test_a_waiver_from_a_page_opened_before_the_exam_was_documented_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    """'Never examined', typed on a page opened before the exam was documented, would take an
    examined case out of the catch-up and off the radiologist's worklist."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="s")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    shown = hidden_value(page[page.index("/waive") :], "shown")
    assert shown
    auth.logout()
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="s")).status_code == 302
    auth.logout()
    auth.login("secretary")
    reason = "Patienten kom aldrig"
    response = client.post(
        f"/catchup/cases/{case_id}/waive", data={"reason": reason, "shown": shown}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Det är inte undantaget" in page and reason in page  # the reason typed is kept
    assert _status(app, case_id) == "exam_done"
    # From the page as it is now, the waiver is taken.
    fresh = hidden_value(page[page.index("/waive") :], "shown")
    _waive(client, auth, case_id, reason, shown=fresh)
    assert _status(app, case_id) == "closed"


def _reserve_blank(app: Flask, client: FlaskClient, auth, kind: str) -> str:
    """A binder blank of this kind, reserved by the admin (the user is logged out after)."""
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": kind, "count": "1"})
    auth.logout()
    with app.app_context():
        return db.session.scalar(select(ReservedCode.code)) or ""


def test_a_report_blank_joined_after_a_waiver_lifts_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    """A report written on a blank reaches the case after it was waived: the report is on paper
    only, RIS has never had it, and the case must wait for a radiologist to type it, on the
    worklist and as outstanding, or the incident ends with the paper report never keyed."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="u")).headers["Location"]
    client.post(location + "/exam", data=exam_data(key_suffix="u"))
    case_id = int(location.rsplit("/", 1)[-1])
    blank = _reserve_blank(app, client, auth, "BLU")
    with app.app_context():
        code = db.session.get(Case, case_id).code
    auth.login("secretary")
    _waive(client, auth, case_id, "Inlagd direkt i RIS")
    assert _status(app, case_id) == "closed"
    joined = client.post(f"/blanks/{blank}/attach/confirm", data={"case_id": str(case_id)})
    assert joined.status_code == 302
    assert _status(app, case_id) == "exam_done"
    assert _record(app, case_id).waived_at is None
    assert "Inlagd direkt i RIS" in _reopens(app)[0]
    with app.app_context():
        assert outstanding_count(db.session.get(Case, case_id).incident_id) == 1
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "En utlåtandeblankett kopplades till ärendet efter att det undantagits" in page
    auth.logout()
    auth.login("radiologist")
    worklist = client.get("/reporting/").get_data(as_text=True)
    assert code in worklist and "Utlåtande på blankett" in worklist


def test_a_report_blank_joined_to_a_case_with_a_signed_report_reopens_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    """Joined after the report was signed and keyed, the blank adds nothing RIS lacks."""
    first = world["ids"][0]
    blank = _reserve_blank(app, client, auth, "BLU")
    auth.login("secretary")
    _waive(client, auth, first, "Inlagd direkt i RIS")
    client.post(f"/blanks/{blank}/attach/confirm", data={"case_id": str(first)})
    assert _status(app, first) == "closed"
    assert _record(app, first).waived_at is not None
    assert _reopens(app) == []


def test_a_documentation_blank_joined_after_a_waiver_lifts_it(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Waived as never examined, then the exam's paper documentation turns up in the binder: the
    exam is on paper only, RIS has never had it, and the case must be outstanding until it is
    typed in and keyed, or the incident ends with the documentation never entered."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="d")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    blank = _reserve_blank(app, client, auth, "BLD")
    auth.login("secretary")
    _waive(client, auth, case_id, "Patienten kom aldrig")
    assert _status(app, case_id) == "closed"
    joined = client.post(f"/blanks/{blank}/attach/confirm", data={"case_id": str(case_id)})
    assert joined.status_code == 302
    assert joined.headers["Location"].endswith(f"/cases/{case_id}/exam")
    assert _status(app, case_id) == "referral_received"
    assert _record(app, case_id).waived_at is None
    assert "Patienten kom aldrig" in _reopens(app)[0]
    with app.app_context():
        assert outstanding_count(db.session.get(Case, case_id).incident_id) == 1
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "En dokumentationsblankett kopplades till ärendet efter att det undantagits" in page
    auth.logout()
    # Typed in from the blank, the exam is documented and the case goes on to a radiologist.
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="d")).status_code == 302
    assert _status(app, case_id) == "exam_done"


def test_a_documentation_blank_joined_to_a_documented_case_reopens_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Joined after the exam was documented in the app, the blank adds nothing RIS lacks."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="x")).headers["Location"]
    client.post(location + "/exam", data=exam_data(key_suffix="x"))
    case_id = int(location.rsplit("/", 1)[-1])
    blank = _reserve_blank(app, client, auth, "BLD")
    auth.login("secretary")
    _waive(client, auth, case_id, "Inlagd direkt i RIS")
    assert _status(app, case_id) == "closed"
    joined = client.post(f"/blanks/{blank}/attach/confirm", data={"case_id": str(case_id)})
    assert joined.status_code == 302
    assert _status(app, case_id) == "closed"
    assert _record(app, case_id).waived_at is not None
    assert _reopens(app) == []


def test_a_waived_case_back_for_its_exam_says_so_in_the_batch_not_a_ris_change(
    app: Flask, client: FlaskClient, auth
) -> None:
    """Never booked in RIS, the case cannot have changed "after the registration in RIS": the
    batch says the waiver lapsed because the exam was documented."""
    auth.login("radiographer")
    incident = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    location = client.post("/cases/new", data=referral_data(key_suffix="w")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    _waive(client, auth, case_id, "Patienten kom aldrig")
    auth.logout()
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="w")).status_code == 302
    auth.logout()
    auth.login("secretary")
    batch = client.get(f"/catchup/incidents/{incident.rsplit('/', 1)[-1]}").get_data(as_text=True)
    row = batch.split('class="outstanding"', 1)[1].split("</ul>", 1)[0]
    assert "Uppgifter har ändrats efter registreringen i RIS" not in row
    assert "Undersökningen dokumenterades efter att ärendet undantagits" in row
    assert "undantaget gäller inte längre" in row
    assert "registrerats i RIS" not in row
