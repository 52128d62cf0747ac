"""A patient's identity corrected after the report was faxed: the referrer holds a report that
names the wrong patient, so the case needs faxing again until a fax after the correction is
logged, whatever the laptop's clock said of the two."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.dispatch_rule import dispatch_status
from webapp.extensions import db
from webapp.incidents.close_asked import unfaxed_reports
from webapp.models import Case

from .clock_support import clock_set_back
from .dispatch_support import _dispatch, _dispatches, _log, _sign
from .factories import case_code, hidden_value, identity_data
from .routines_support import make_case, receive_reviewer_report
from .test_reporting_dispatch_reviewer_order import PRELIMINARY

NEEDS_FAX = "Signerat svar ej faxat"
CORRECTED = "Identiteten rättad efter faxning – faxa utlåtandet igen"
BOARD_CORRECTED = "Identitet rättad – faxa igen"
STALE_PAGE = "Patientens identitet har rättats sedan sidan öppnades"


def _correct_identity(client: FlaskClient, auth, case_id: int) -> None:
    """A mistyped personnummer fixed: the patient is another man than the one first typed."""
    auth.login("radiographer")
    data = identity_data(personal_number="19800101-0019", reason="Felskrivet personnummer")
    response = client.post(f"/cases/{case_id}/identity", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _faxed(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert response.status_code == 302, response.get_data(as_text=True)


def _unfaxed(app: Flask, case_id: int) -> list[int]:
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        return [r.case_id for r in unfaxed_reports(incident_id)]


def _case_page(client: FlaskClient, case_id: int) -> str:
    return client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_an_identity_corrected_after_the_fax_needs_faxing_again_on_the_case_page(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _faxed(client, auth, case_id)
    assert NEEDS_FAX not in _case_page(client, case_id)
    _correct_identity(client, auth, case_id)
    page = _case_page(client, case_id)
    assert NEEDS_FAX in page and CORRECTED in page
    assert "signerat igen efter senaste faxningen" not in page  # nothing was signed since
    assert "Svaret är faxat – logga" in page  # the form is open, not folded away
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert NEEDS_FAX in screen and CORRECTED in screen


def test_an_identity_corrected_after_the_fax_is_on_the_board_and_the_closing_checks(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _faxed(client, auth, case_id)
    assert _unfaxed(app, case_id) == []
    _correct_identity(client, auth, case_id)
    board = client.get("/board/").get_data(as_text=True)
    assert BOARD_CORRECTED in board
    assert _unfaxed(app, case_id) == [case_id]


def test_a_fax_logged_after_the_correction_clears_it_everywhere(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _faxed(client, auth, case_id)
    _correct_identity(client, auth, case_id)
    _faxed(client, auth, case_id)
    page = _case_page(client, case_id)
    assert NEEDS_FAX not in page and CORRECTED not in page
    board = client.get("/board/").get_data(as_text=True)
    assert "Svar ej faxat" not in board and BOARD_CORRECTED not in board
    assert _unfaxed(app, case_id) == []
    assert [d.identity_revision for d in _dispatches(app)] == [0, 1]


def test_an_identity_corrected_before_any_fax_asks_for_nothing_more(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _correct_identity(client, auth, case_id)
    page = _case_page(client, case_id)
    assert NEEDS_FAX in page and CORRECTED not in page  # unfaxed as before, for no other reason
    _faxed(client, auth, case_id)
    assert NEEDS_FAX not in _case_page(client, case_id)
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)
    assert _unfaxed(app, case_id) == []


def test_a_fax_logged_from_a_page_opened_before_the_correction_is_refused_beside_the_number(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The secretary prints the report and faxes it; meanwhile the patient is identified. The
    # paper that went out carries the old identity: logging it must not clear the case.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    opened = _case_page(client, case_id)
    form = {
        **_dispatch(fax_number="0999-555 12", note="Kvitto saknas"),
        "signature": hidden_value(opened, "signature"),
        "identity_revision": hidden_value(opened, "identity_revision"),
    }
    _correct_identity(client, auth, case_id)
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/dispatch", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert STALE_PAGE in page
    # Beside the number, with what was typed kept.
    number_field = page[page.index('id="fax_number"') :]
    assert number_field.index(STALE_PAGE) < number_field.index('id="faxed_at"')
    assert 'value="0999-555 12"' in page and "Kvitto saknas" in page
    assert _dispatches(app) == []
    # Printed and faxed again with the patient as now, the refused page's next tap logs it.
    again = {**form, "identity_revision": hidden_value(page, "identity_revision")}
    assert again["identity_revision"] != form["identity_revision"]
    assert client.post(f"/reporting/{case_id}/dispatch", data=again).status_code == 302
    assert NEEDS_FAX not in _case_page(client, case_id)


def test_the_clock_set_back_between_the_fax_and_the_correction_changes_nothing(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _faxed(client, auth, case_id)
    # The correction is stamped hours before the fax; it still came after it.
    with clock_set_back(3):
        _correct_identity(client, auth, case_id)
        page = _case_page(client, case_id)
        assert NEEDS_FAX in page and CORRECTED in page
        assert _unfaxed(app, case_id) == [case_id]
    # And a fax logged with the clock set back further still covers the correction.
    with clock_set_back(5):
        _log(app, case_id)
    assert NEEDS_FAX not in _case_page(client, case_id)
    assert _unfaxed(app, case_id) == []


def test_a_cancelled_case_never_needs_a_fax_for_its_identity(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _faxed(client, auth, case_id)
    _correct_identity(client, auth, case_id)
    # A signed case cannot be cancelled in the app: a case cancelled before it was signed (or
    # by an earlier version) is put in that state directly.
    with app.app_context():
        db.session.execute(update(Case).where(Case.id == case_id).values(status="cancelled"))
        db.session.commit()
        assert not dispatch_status(db.session.get(Case, case_id)).needs_fax
    assert _unfaxed(app, case_id) == []


def test_a_reviewers_report_forwarded_before_the_correction_needs_faxing_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The copy forwarded to the referrer carried the patient's name and number as they were."""
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), role="secretary", **PRELIMINARY)
    assert _unfaxed(app, case_id) == []
    _correct_identity(client, auth, case_id)
    auth.login("secretary")
    page = _case_page(client, case_id)
    assert NEEDS_FAX in page and CORRECTED in page
    assert _unfaxed(app, case_id) == [case_id]
    assert BOARD_CORRECTED in client.get("/board/").get_data(as_text=True)
    _faxed(client, auth, case_id)
    assert NEEDS_FAX not in _case_page(client, case_id)
    assert _unfaxed(app, case_id) == []


def test_the_worklist_and_the_batch_page_say_the_identity_was_corrected(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    """Each list that shows the case as unfaxed says why: the report was signed and faxed, so
    without it the case reads as if the fax log were simply missing. (A preliminary report:
    the worklist holds the case until the definitive one.)"""
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    _faxed(client, auth, case_id)
    _correct_identity(client, auth, case_id)
    auth.login("radiologist")
    worklist = client.get("/reporting/").get_data(as_text=True)
    assert BOARD_CORRECTED in worklist
    auth.login("secretary")
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    assert BOARD_CORRECTED in batch


def test_a_reviewer_copy_logged_from_a_page_opened_before_a_correction_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    """The copy faxed from that page named the patient as they were: logged, it would cover
    the corrected identity, and the referrer would keep the wrong one."""
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client, auth, case_code(app, case_id), role="secretary", forwarded=False, **PRELIMINARY
    )
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    _correct_identity(client, auth, case_id)
    auth.login("secretary")
    sent = {
        "forward-number": "0999-123 46",
        "forward-at": "2026-01-15T13:10",
        "forward-signature": hidden_value(page, "forward-signature"),
        "forward-identity": hidden_value(page, "forward-identity"),
        "forward-form_key": hidden_value(page, "forward-form_key"),
    }
    refused = client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=sent)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "identitet har rättats sedan sidan öppnades" in body
    assert 'value="0999-123 46"' in body
    # Sent again from the page that said so (a new copy faxed), it is logged and covers it.
    sent["forward-identity"] = hidden_value(body, "forward-identity")
    sent["forward-signature"] = hidden_value(body, "forward-signature")
    sent["forward-form_key"] = hidden_value(body, "forward-form_key")
    again = client.post(f"/routines/reviewer/cases/{case_id}/forwarded", data=sent)
    assert again.status_code == 302, again.get_data(as_text=True)
    with app.app_context():
        assert not dispatch_status(db.session.get(Case, case_id)).identity_corrected
