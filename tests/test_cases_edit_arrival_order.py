"""A referral's arrival edited to after what has already happened to its case is refused
beside the arrival, naming the earliest such event, with everything typed kept; the service
refuses it too. The referral arrived at 10:30 (09:30 UTC)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from webapp.cases.arrival_edit import ArrivalAfterEvent
from webapp.cases.services import update_referral
from webapp.extensions import db
from webapp.models import Case, ExamRecord, User

from .conftest import AuthActions
from .factories import exam_data, faxed_report_data, hidden_value, referral_data

ARRIVED = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
KEPT = "Waran. Föll igen på avdelningen."


def _new_case(client: FlaskClient, auth: AuthActions, *, exam: bool = False) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    if exam:
        assert client.post(location + "/exam", data=exam_data()).status_code == 302
    return int(location.rsplit("/", 1)[-1])


def _edit(client: FlaskClient, auth: AuthActions, case_id: int, **fields: str) -> TestResponse:
    """The referral edit as its page draws it, with `fields` typed over it."""
    auth.login("radiographer")
    url = f"/cases/{case_id}/referral"
    page = client.get(url).get_data(as_text=True)
    shown = {name: hidden_value(page, name) for name in ("form_key", "version", "case_version")}
    return client.post(url, data=referral_data(**shown, history=KEPT, **fields))


def _beside(page: str, field_id: str) -> str:
    """The error text shown next to the field."""
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


def _arrival(app: Flask, case_id: int) -> datetime:
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.referral is not None
        return case.referral.arrived_at


def _refused(app: Flask, response: TestResponse, case_id: int, typed: str, message: str) -> None:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in _beside(page, "arrived_at")
    assert f'value="{typed}"' in page and KEPT in page
    assert _arrival(app, case_id) == ARRIVED


def test_an_arrival_after_the_exam_started_is_refused_beside_the_arrival(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _new_case(client, auth, exam=True)  # started 10:50, images sent 11:00
    response = _edit(client, auth, case_id, arrived_at="2026-01-15T11:30")
    message = "Ankomsttiden kan inte ligga efter undersökningens start, 2026-01-15 10:50."
    _refused(app, response, case_id, "2026-01-15T11:30", message)


def test_an_arrival_in_the_minute_the_exam_started_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _new_case(client, auth, exam=True)
    response = _edit(client, auth, case_id, arrived_at="2026-01-15T10:50")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _arrival(app, case_id) == datetime(2026, 1, 15, 9, 50, tzinfo=UTC)


def test_an_arrival_after_an_urgent_call_is_refused_naming_the_call(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _new_case(client, auth)
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/call").get_data(as_text=True)
    call = {
        "form_key": hidden_value(page, "form_key"),
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "called_at": "2026-01-15T10:40",
    }
    assert client.post(f"/reporting/{case_id}/call", data=call).status_code == 302
    response = _edit(client, auth, case_id, arrived_at="2026-01-15T10:45")
    message = (
        "Ankomsttiden kan inte ligga efter samtalet till remittenten om ett akut fynd"
        ", 2026-01-15 10:40."
    )
    _refused(app, response, case_id, "2026-01-15T10:45", message)


def test_an_arrival_after_a_faxed_report_was_received_is_refused_naming_the_fax(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    case_id = _new_case(client, auth)
    auth.login("secretary")
    fax = faxed_report_data(received_at="2026-01-15T10:45")
    assert client.post(f"/reporting/{case_id}/fax", data=fax).status_code == 302
    response = _edit(client, auth, case_id, arrived_at="2026-01-15T11:00")
    message = (
        "Ankomsttiden kan inte ligga efter mottagandet av det faxade utlåtandet, 2026-01-15 10:45."
    )
    _refused(app, response, case_id, "2026-01-15T11:00", message)


def test_an_arrival_left_as_it_was_is_no_refusal_over_an_exam_typed_before_it(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # The exam form does not hold its start to the arrival: a case may already be out of
    # order, and the rest of its referral must stay editable.
    case_id = _new_case(client, auth)
    auth.login("radiographer")
    exam = exam_data(started_at="2026-01-15T10:10", ended_at="2026-01-15T10:20")
    assert client.post(f"/cases/{case_id}/exam", data=exam).status_code == 302
    response = _edit(client, auth, case_id, arrived_at="2026-01-15T10:30")
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_service_refuses_an_arrival_after_the_exam_started(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # As a form shown before the exam was documented on another tablet would send it.
    case_id = _new_case(client, auth, exam=True)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        case = db.session.get(Case, case_id)
        assert user is not None and case is not None
        with pytest.raises(ArrivalAfterEvent, match="undersökningens start, 2026-01-15 10:50"):
            update_referral(
                case_id=case_id,
                user=user,
                priority=case.priority,
                modality=case.modality,
                referral={"arrived_at": datetime(2026, 1, 15, 10, 0, tzinfo=UTC)},
                form_key="s" * 20,
                digest="d",
                url=f"/cases/{case_id}",
            )
    assert _arrival(app, case_id) == ARRIVED


# The repeated autumn hour (2026-10-25, Europe/Stockholm): 02:00–02:59 comes twice, first in
# summer time (00:00–00:59 UTC), then in winter time (01:00–01:59 UTC).
def _exam_started(app: Flask, case_id: int, at: datetime) -> None:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord).where(ExamRecord.case_id == case_id))
        assert exam is not None
        exam.started_at, exam.ended_at, exam.pacs_sent_at = at, at, at
        db.session.commit()


def _autumn_case(app: Flask, client: FlaskClient, auth: AuthActions, started: datetime) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(arrived_at="2026-10-25T01:30")
    location = client.post("/cases/new", data=data).headers["Location"]
    assert client.post(location + "/exam", data=exam_data()).status_code == 302
    case_id = int(location.rsplit("/", 1)[-1])
    _exam_started(app, case_id, started)
    return case_id


def test_an_arrival_in_the_repeated_hour_before_an_exam_in_its_second_pass_is_saved(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # The exam started 02:10 in the second pass (01:10 UTC); an arrival typed 02:50 is read as
    # its first pass (00:50 UTC), before it: the times are compared as instants, not as clocks.
    case_id = _autumn_case(app, client, auth, datetime(2026, 10, 25, 1, 10, tzinfo=UTC))
    response = _edit(client, auth, case_id, arrived_at="2026-10-25T02:50")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _arrival(app, case_id) == datetime(2026, 10, 25, 0, 50, tzinfo=UTC)


def test_an_arrival_in_the_repeated_hour_after_an_exam_in_its_first_pass_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions
) -> None:
    # The exam started 02:10 in the first pass (00:10 UTC): 02:50 is after it in both passes.
    case_id = _autumn_case(app, client, auth, datetime(2026, 10, 25, 0, 10, tzinfo=UTC))
    response = _edit(client, auth, case_id, arrived_at="2026-10-25T02:50")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # The start is in the first pass of the repeated hour: said with its offset, so the two
    # 02:10s are told apart.
    message = "Ankomsttiden kan inte ligga efter undersökningens start, 2026-10-25 02:10 (UTC+2)."
    assert message in _beside(page, "arrived_at")
    assert 'value="2026-10-25T02:50"' in page and KEPT in page
    assert _arrival(app, case_id) == datetime(2026, 10, 24, 23, 30, tzinfo=UTC)


def test_an_arrival_refused_only_by_the_service_is_said_beside_the_arrival(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The exam documented on another tablet after the form was checked: only the service,
    # under its write lock, still sees it.
    monkeypatch.setattr("webapp.cases.forms.check_arrival_order", lambda case, field: None)
    case_id = _new_case(client, auth, exam=True)
    response = _edit(client, auth, case_id, arrived_at="2026-01-15T11:30")
    message = "Ankomsttiden kan inte ligga efter undersökningens start, 2026-01-15 10:50."
    _refused(app, response, case_id, "2026-01-15T11:30", message)
