"""Logging the fax of a signed report: what a dispatch records, who may log one, what is refused
and how the form says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, ReportSignature
from webapp.reporting.services import ReportError

from .dispatch_support import _dispatch, _dispatches, _log, _sign
from .factories import local_minute
from .routines_support import report_form

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
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"})
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


def test_a_fax_after_an_unsigned_save_records_the_version_that_was_signed(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The sheet faxed carries the text as signed (version 1); version 2 went out to no one,
    # so the history must not say it was faxed.
    _sign(client, auth, case_id, "preliminary", "p" * 20)
    edited = report_form("save", "s" * 20, "1") | {"sections-1-text": "Misstänkt blödning."}
    assert client.post(f"/reporting/{case_id}", data=edited).status_code == 302
    _log(app, case_id)
    (dispatch,) = _dispatches(app)
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report_dispatch"))
    assert (dispatch.report_state, dispatch.report_version) == ("preliminary", 1)
    assert "preliminärt signerat, version 1" in event.detail


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
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"})
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
