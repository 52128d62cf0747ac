"""The signed report faxed to the referrer: logged, shown, needed again after a new signature."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, ReportDispatch, ReportSignature, User
from webapp.reporting.dispatch import FaxedBeforeSigning, log_report_dispatch
from webapp.reporting.services import ReportError

from .factories import (
    case_code,
    hidden_value,
    local_minute,
    make_user,
    paper_report_data,
    referral_data,
)
from .routines_support import report_form


def _dispatch(**changes: str) -> dict[str, str]:
    """The dispatch form as sent: the fax went out just now, after the signature it covers."""
    return {"fax_number": "0999-123 46", "faxed_at": local_minute(), "note": ""} | changes


def _sign(
    client: FlaskClient, auth, case_id: int, action: str, key: str, version: str = ""
) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_form(action, key, version))
    assert response.status_code == 302, response.get_data(as_text=True)


def _user(app: Flask, role: str) -> User:
    with app.app_context():
        info = make_user(role=role)
        user = db.session.get(User, info.id)
        db.session.expunge(user)
        return user


def _dispatches(app: Flask) -> list[ReportDispatch]:
    with app.app_context():
        rows = list(db.session.scalars(select(ReportDispatch).order_by(ReportDispatch.id)))
        for r in rows:
            db.session.expunge(r)
        return rows


def _log(app: Flask, case_id: int, role: str = "secretary", **kw: object) -> object:
    user = _user(app, role)
    with app.test_request_context():
        return log_report_dispatch(
            case_id=case_id,
            user=user,
            fax_number=str(kw.get("fax_number", "0999-123 46")),
            faxed_at=kw.get("faxed_at") or datetime.now(UTC),  # type: ignore[arg-type]
            note=str(kw.get("note", "")),
        )


# --- service ---


def test_dispatch_records_the_signature_it_covers_and_is_audited(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    faxed_at = datetime.now(UTC)
    _log(app, case_id, note="Kvitto från faxen", faxed_at=faxed_at)
    (dispatch,) = _dispatches(app)
    with app.app_context():
        signature_id = db.session.scalar(select(func.max(ReportSignature.id)))
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_dispatch"))
    assert dispatch.signature_id == signature_id
    assert (dispatch.report_state, dispatch.report_version) == ("preliminary", 1)
    assert (dispatch.fax_number, dispatch.note) == ("0999-123 46", "Kvitto från faxen")
    assert dispatch.faxed_at == faxed_at
    assert event is not None and event.case_id == case_id
    assert "preliminärt signerat, version 1" in event.detail and "0999-123 46" in event.detail


def test_dispatch_is_refused_without_a_signed_report(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    with pytest.raises(ReportError, match="inget signerat utlåtande"):
        _log(app, case_id)
    _sign(client, auth, case_id, "save", "s" * 20)  # a draft is not a report to fax
    with pytest.raises(ReportError, match="inget signerat utlåtande"):
        _log(app, case_id)
    assert _dispatches(app) == []


def test_dispatch_is_refused_for_a_cancelled_case(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # A signed case cannot be cancelled; the refusal comes before asking for a signed report.
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient"})
    with pytest.raises(ReportError, match="makulerat"):
        _log(app, case_id)
    assert _dispatches(app) == []


@pytest.mark.parametrize("role", ["admin"])
def test_dispatch_is_refused_to_a_role_that_does_not_send_reports(
    app: Flask, client: FlaskClient, auth, case_id: int, role: str
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    with pytest.raises(ReportError, match="radiolog, sekreterare"):
        _log(app, case_id, role=role)


def test_a_double_tap_logs_one_dispatch(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    faxed_at = datetime.now(UTC)
    first = _log(app, case_id, faxed_at=faxed_at)
    # The same number, spaced otherwise.
    second = _log(app, case_id, fax_number="0999 123 46", faxed_at=faxed_at)
    assert not first.replayed and second.replayed  # type: ignore[attr-defined]
    assert second.dispatch_id == first.dispatch_id  # type: ignore[attr-defined]
    assert len(_dispatches(app)) == 1


def test_the_same_version_faxed_to_another_number_is_a_second_dispatch(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _log(app, case_id)
    _log(app, case_id, fax_number="035-10 20 30")
    assert [d.fax_number for d in _dispatches(app)] == ["0999-123 46", "035-10 20 30"]


def test_the_same_version_faxed_again_later_to_the_same_number_is_logged_again(
    client: FlaskClient, auth, case_id: int
) -> None:
    # "Faxat igen?": the first fax did not reach the ward, so it is sent again; both are logged.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    assert client.post(f"/reporting/{case_id}/dispatch", data=_dispatch()).status_code == 302
    again = {
        **_dispatch(),
        "faxed_at": local_minute(timedelta(minutes=1)),
        "note": "Avdelningen fick inget.",
    }
    response = client.post(f"/reporting/{case_id}/dispatch", data=again, follow_redirects=True)
    assert "Faxningen var redan loggad." not in response.get_data(as_text=True)
    dispatches = _dispatches(client.application)
    assert [d.note for d in dispatches] == ["", "Avdelningen fick inget."]
    assert dispatches[0].signature_id == dispatches[1].signature_id


# --- status on the pages ---


def test_case_page_shows_a_signed_report_not_yet_faxed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    auth.login("secretary")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    assert 'value="0999-123 46"' in page  # prefilled with the referral's reply fax
    assert "Svaret är faxat – logga" in page


def test_logged_dispatch_shows_who_when_and_where(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case_id}#dispatch")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar faxat till remittent" in page
    assert "Signerat svar ej faxat" not in page
    assert "Testa Secretary Åström" in page and "0999-123 46" in page


def test_definitive_signature_after_a_faxed_preliminary_needs_faxing_again(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    auth.login("secretary")
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    _sign(client, auth, case_id, "definitive", "d" * 20, version="1")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    assert "signerat igen efter senaste faxningen" in page


def test_an_addendum_after_the_fax_needs_faxing_again(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/addendum", data={"text": "Även liten fraktur."})
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Svar faxat till remittent" in page and "1 tillägg" in page


def test_a_fax_logged_from_a_page_opened_before_a_new_signature_is_refused(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The secretary prints and faxes the definitive report; meanwhile the radiologist signs an
    # urgent addendum. The fax logged from her page must not mark the addendum as sent.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    shown = hidden_value(page, "signature")
    auth.login("radiologist")
    data = {"text": "Dessutom pneumothorax höger.", "is_urgent": "y"}
    assert client.post(f"/reporting/{case_id}/addendum", data=data).status_code == 302
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**_dispatch(), "signature": shown}
    )
    assert response.status_code == 400
    assert "Utlåtandet har signerats igen sedan sidan öppnades" in response.get_data(as_text=True)
    assert _dispatches(client.application) == []
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    # Printed and faxed again, the refused page's next tap logs the fax of the addendum too.
    again = hidden_value(response.get_data(as_text=True), "signature")
    assert again != shown
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**_dispatch(), "signature": again}
    )
    assert response.status_code == 302
    (dispatch,) = _dispatches(client.application)
    assert dispatch.addenda_count == 1


def test_a_fax_logged_from_a_page_showing_the_last_signature_is_logged(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    auth.login("secretary")
    shown = hidden_value(client.get(f"/cases/{case_id}").get_data(as_text=True), "signature")
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**_dispatch(), "signature": shown}
    )
    assert response.status_code == 302
    assert [d.signature_id for d in _dispatches(client.application)] == [int(shown)]


def test_reporting_screen_offers_printing_and_logging_after_signing(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" in page
    assert f"/print/cases/{case_id}/report.pdf" in page
    assert 'name="back" value="screen"' in page
    response = client.post(f"/reporting/{case_id}/dispatch", data={**_dispatch(), "back": "screen"})
    assert response.headers["Location"].endswith(f"/reporting/{case_id}#dispatch")


# --- view: roles and bad input ---


@pytest.mark.parametrize("role", ["radiologist", "secretary", "radiographer"])
def test_staff_who_send_reports_may_log_the_fax(
    app: Flask, client: FlaskClient, auth, case_id: int, role: str
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login(role)
    assert client.post(f"/reporting/{case_id}/dispatch", data=_dispatch()).status_code == 302
    assert len(_dispatches(app)) == 1


def test_admin_may_not_log_the_fax(app: Flask, client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("admin")
    assert client.post(f"/reporting/{case_id}/dispatch", data=_dispatch()).status_code == 403
    assert "Svaret är faxat – logga" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert _dispatches(app) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fax_number": ""}, "Ange faxnumret svaret skickades till."),
        ({"fax_number": "ring avd 12"}, "Ange faxnumret som ett telefonnummer"),
        ({"faxed_at": ""}, "Ange när svaret faxades."),
        ({"faxed_at": "2099-01-01T10:00"}, "Tiden kan inte ligga i framtiden."),
    ],
)
def test_bad_dispatch_input_is_kept_with_a_message(
    app: Flask, client: FlaskClient, auth, case_id: int, changes: dict[str, str], message: str
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    sent = {**_dispatch(), "note": "Faxad två gånger, första gick inte fram", **changes}
    response = client.post(f"/reporting/{case_id}/dispatch", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert "Faxad två gånger, första gick inte fram" in page
    if changes.get("fax_number"):
        assert f'value="{changes["fax_number"]}"' in page
    assert _dispatches(app) == []


def test_cancelled_case_refuses_the_log_with_a_message(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient"})
    auth.login("secretary")
    assert "Svaret är faxat – logga" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    response = client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert response.status_code == 400
    assert "Ärendet är makulerat." in response.get_data(as_text=True)
    assert _dispatches(app) == []


def test_case_without_a_signed_report_refuses_the_log_with_a_message(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    response = client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert response.status_code == 400
    assert "Det finns inget signerat utlåtande att faxa." in response.get_data(as_text=True)
    assert _dispatches(app) == []


# --- lists ---


def test_board_marks_a_signed_report_not_yet_faxed_until_it_is(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("radiographer")
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)


def test_a_report_to_fax_does_not_push_patients_waiting_for_their_exam_down_the_board(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The fax is the secretary's task, marked on its row; the board's top stays with the
    # patients still to examine and report, as the worklist's stays with reports to write.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("radiographer")
    response = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="w",
            patient_name="Vera Väntar",
            personal_number="19800101-0027",
            pregnancy="no",
            priority="rutin",  # just in, not overdue: nothing but its stage puts it first
            arrived_at=datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert response.status_code == 302
    waiting = response.headers["Location"]
    client.get(waiting)  # the saved notice, naming the new case's code, is shown there
    with app.app_context():
        signed_code = db.session.get(Case, case_id).code
        waiting_code = db.session.get(Case, int(waiting.rsplit("/", 1)[-1])).code
    board = client.get("/board/").get_data(as_text=True)
    assert "Svar ej faxat" in board
    assert board.index(waiting_code) < board.index(signed_code)


def test_worklist_marks_a_preliminary_report_not_yet_faxed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    assert "Svar ej faxat" in client.get("/reporting/").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Ö. Ä." in page and "Svar ej faxat" not in page


def test_history_page_lists_the_faxes(client: FlaskClient, auth, case_id: int) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    client.post(f"/reporting/{case_id}/dispatch", data={**_dispatch(), "note": "Kvitto OK"})
    page = client.get(f"/cases/{case_id}/history").get_data(as_text=True)
    assert "Svar faxat till remittent" in page and "Kvitto OK" in page


def test_batch_csv_names_the_fax_of_the_report(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    sent = _dispatch()
    client.post(f"/reporting/{case_id}/dispatch", data=sent)
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
    body = client.get(f"/catchup/incidents/{incident_id}/export/csv").get_data(as_text=True)
    faxed = sent["faxed_at"].replace("T", " ")
    assert f"0999-123 46 {faxed} Testa Secretary Åström (definitivt)" in body


def test_catchup_page_says_whether_the_report_was_faxed(
    client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    auth.login("secretary")
    assert "Signerat svar ej faxat" in client.get(f"/catchup/cases/{case_id}").get_data(
        as_text=True
    )
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "Signerat svar ej faxat" not in page and "Svar faxat till remittent" in page


FAXED_IN = {
    "author_name": "Dr Extern",
    "received_at": "2026-01-15T03:10",
    "state": "definitive",
    "findings": "Ingen blödning.",
    "conclusion": "Normalt.",
}


def test_a_report_faxed_in_from_elsewhere_is_the_departments_to_fax_on(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" in client.get("/board/").get_data(as_text=True)
    client.post(f"/reporting/{case_id}/dispatch", data=_dispatch())
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)
    assert [d.case_id for d in _dispatches(app)] == [case_id]


def test_the_external_reviewers_report_is_forwarded_in_its_own_routine(
    app: Flask, client: FlaskClient, auth
) -> None:
    from .routines_support import make_case

    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("secretary")
    client.post(
        "/routines/reviewer/receive",
        data={"case_code": code, "received_at": "2026-01-15T03:40", "reviewer_name": "Dr Extern"},
    )
    assert client.post(f"/reporting/{case_id}/fax", data=FAXED_IN).status_code == 302
    assert "Signerat svar ej faxat" not in client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Svar ej faxat" not in client.get("/board/").get_data(as_text=True)


# --- the fax time against the signature it covers ---


def _backdate_signatures(app: Flask, at: datetime) -> None:
    """The signatures so far were made at `at` (the preliminary at the start of the night,
    before the definitive signed now)."""
    with app.app_context():
        for signature in db.session.scalars(select(ReportSignature)):
            signature.signed_at = at
        db.session.commit()


def _dispatch_audits(app: Flask) -> int:
    with app.app_context():
        query = select(func.count()).where(AuditEvent.action == "report_dispatch")
        return db.session.scalar(query) or 0


def test_a_fax_time_before_the_signature_is_refused_by_the_service(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "definitive", "d" * 20)
    with pytest.raises(FaxedBeforeSigning, match="Faxtiden ligger före signeringen"):
        _log(app, case_id, faxed_at=datetime.now(UTC) - timedelta(minutes=30))
    assert _dispatches(app) == []
    assert _dispatch_audits(app) == 0


def test_a_fax_time_a_minute_before_the_signature_passes_for_the_clocks(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Typed to the minute ("Nu" right after signing) or from a tablet a little behind.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _log(app, case_id, faxed_at=datetime.now(UTC) - timedelta(minutes=1))
    assert len(_dispatches(app)) == 1
    assert _dispatch_audits(app) == 1


def test_the_preliminary_faxed_and_logged_after_the_definitive_is_refused_next_to_the_time(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The preliminary went out an hour ago; the definitive was signed since and never faxed.
    # Logging the real (earlier) fax time now must not mark the definitive report as sent.
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    _backdate_signatures(app, datetime.now(UTC) - timedelta(minutes=90))
    _sign(client, auth, case_id, "definitive", "d" * 20, version="1")
    auth.login("secretary")
    shown = hidden_value(client.get(f"/cases/{case_id}").get_data(as_text=True), "signature")
    faxed_at = local_minute(-timedelta(minutes=60))
    sent = {
        "fax_number": "035-10 20 30",
        "faxed_at": faxed_at,
        "note": "Gick ut i natt",
        "signature": shown,
    }
    response = client.post(f"/reporting/{case_id}/dispatch", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'id="faxed_at-error"[^>]*>(.*?)</p>', page, re.S)
    assert error is not None and "Faxtiden ligger före signeringen" in error.group(1)
    assert f'value="{faxed_at}"' in page
    assert 'value="035-10 20 30"' in page and "Gick ut i natt" in page
    assert hidden_value(page, "signature") == shown
    assert _dispatches(app) == []
    assert _dispatch_audits(app) == 0
    assert "Signerat svar ej faxat" in client.get(f"/cases/{case_id}").get_data(as_text=True)
    # Faxed again once signed, the log goes through and is audited once.
    response = client.post(
        f"/reporting/{case_id}/dispatch", data={**sent, "faxed_at": local_minute()}
    )
    assert response.status_code == 302
    (dispatch,) = _dispatches(app)
    assert dispatch.report_state == "definitive"
    assert _dispatch_audits(app) == 1


def test_a_fax_time_after_the_signature_is_logged(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    _backdate_signatures(app, datetime.now(UTC) - timedelta(minutes=90))
    auth.login("secretary")
    sent = {**_dispatch(), "faxed_at": local_minute(-timedelta(minutes=60))}
    assert client.post(f"/reporting/{case_id}/dispatch", data=sent).status_code == 302
    assert len(_dispatches(app)) == 1
    assert _dispatch_audits(app) == 1


def test_a_keyed_paper_report_is_checked_against_the_time_on_the_paper(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    # Written at 03:10 on paper, keyed in this morning: a fax at 03:25 went out after it was
    # signed, one at 03:00 before.
    auth.login("secretary")
    keyed = paper_report_data(radiologist_id)
    assert client.post(f"/reporting/{case_id}/paper", data=keyed).status_code == 302
    early = {**_dispatch(), "faxed_at": "2026-01-15T03:00"}
    response = client.post(f"/reporting/{case_id}/dispatch", data=early)
    assert response.status_code == 400
    assert "Faxtiden ligger före signeringen som loggningen gäller (2026-01-15 03:10)" in (
        response.get_data(as_text=True)
    )
    later = {**_dispatch(), "faxed_at": "2026-01-15T03:25"}
    assert client.post(f"/reporting/{case_id}/dispatch", data=later).status_code == 302
    assert len(_dispatches(app)) == 1


def test_the_repeated_autumn_hour_is_read_as_the_pass_after_the_signature(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Signed at 02:45 in the second pass of the hour the clocks go back (01:45 UTC): a fax
    # at 02:50 went out after it, read as the first pass it would lie an hour before.
    _sign(client, auth, case_id, "definitive", "d" * 20)
    _backdate_signatures(app, datetime(2025, 10, 26, 1, 45, tzinfo=UTC))
    auth.login("secretary")
    early = client.post(
        f"/reporting/{case_id}/dispatch", data=_dispatch(faxed_at="2025-10-26T02:30")
    )
    assert early.status_code == 400
    assert "Faxtiden ligger före signeringen" in early.get_data(as_text=True)
    response = client.post(
        f"/reporting/{case_id}/dispatch", data=_dispatch(faxed_at="2025-10-26T02:50")
    )
    assert response.status_code == 302
    (dispatch,) = _dispatches(app)
    assert dispatch.faxed_at == datetime(2025, 10, 26, 1, 50, tzinfo=UTC)
