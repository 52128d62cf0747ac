"""The repeated autumn hour against the referral's arrival (2026-10-25, Europe/Stockholm: the
clocks go back at 03:00 summer time, and 02:00–02:59 comes twice).

The referral arrived at 02:30 in the second pass (01:30 UTC). A time typed as 02:40 read as
its first pass (00:40 UTC) would lie before it; its second pass (01:40 UTC) is after, and is
what is stored. 02:20 lies before the arrival in both passes (00:20, 01:20 UTC): refused beside
its field, what was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Select, select
from werkzeug.test import TestResponse

from webapp.extensions import db
from webapp.models import (
    CancelNotice,
    Case,
    Report,
    ReportDispatch,
    ReviewerLogEntry,
    UrgentCall,
)

from .conftest import AuthActions
from .factories import (
    case_code,
    exam_data,
    faxed_report_data,
    hidden_value,
    paper_report_data,
    referral_data,
)
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case, receive_data, receive_reviewer_report
from .test_cases_restore_call import _log_call, _restored_after_notice

SECOND_PASS_ARRIVAL = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
FIRST_PASS_ARRIVAL = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
TYPED = "2026-10-25T02:40"
SECOND_PASS = datetime(2026, 10, 25, 1, 40, tzinfo=UTC)
FIRST_PASS = datetime(2026, 10, 25, 0, 40, tzinfo=UTC)
BEFORE_IN_BOTH = "2026-10-25T02:20"
REFUSAL = "Tiden är före remissens ankomst (2026-10-25 02:30)."


def _arrived(app: Flask, case_id: int, at: datetime) -> None:
    """The referral's arrival as keyed: corrected to `at` after the case was made."""
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case is not None and case.referral is not None
        case.referral.arrived_at = at
        db.session.commit()


def _beside(page: str, field_id: str) -> str:
    """The error text shown next to the field."""
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


def _one(app: Flask, query: Select[Any]) -> Any:
    with app.app_context():
        return db.session.scalar(query)


@dataclass(frozen=True)
class Place:
    """One form with a time checked against the arrival: how to make its case, post the time,
    and read what was stored."""

    make: Callable[[Flask, FlaskClient, AuthActions], int]
    post: Callable[[FlaskClient, AuthActions, int, str], TestResponse]
    stored: Callable[[Flask], datetime | None]
    field_id: str
    kept: str  # other typed text the refused page still holds


def _plain_case(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


def _reviewer_case(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    return make_case(client, auth)


def _answered_reviewer_case(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client,
        auth,
        case_code(app, case_id),
        role="secretary",
        forwarded=False,
        state="preliminary",
        conclusion="Ingen akut patologi.",
    )
    return case_id


def _restored_case(app: Flask, client: FlaskClient, auth: AuthActions) -> int:
    return _restored_after_notice(client, auth)


def _post_fax(client: FlaskClient, auth: AuthActions, case_id: int, at: str) -> TestResponse:
    auth.login("secretary")
    data = faxed_report_data(received_at=at, findings="Skriven text kvar.")
    return client.post(f"/reporting/{case_id}/fax", data=data)


def _post_call(client: FlaskClient, auth: AuthActions, case_id: int, at: str) -> TestResponse:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/call").get_data(as_text=True)
    data = {
        "form_key": hidden_value(page, "form_key"),
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "called_at": at,
        "note": "Neurokirurg kontaktas",
    }
    return client.post(f"/reporting/{case_id}/call", data=data)


def _post_restore_call(
    client: FlaskClient, auth: AuthActions, case_id: int, at: str
) -> TestResponse:
    auth.login("radiographer")
    return _log_call(client, case_id, called_at=at, note="Görs i eftermiddag")


def _post_reviewer_fax(
    client: FlaskClient, auth: AuthActions, case_id: int, at: str
) -> TestResponse:
    return _fax_to_the_reviewer(client, auth, case_id, sent_at=at)


def _post_verbal(client: FlaskClient, auth: AuthActions, case_id: int, at: str) -> TestResponse:
    auth.login("radiographer")
    return client.post(
        f"/routines/reviewer/cases/{case_id}/verbal",
        data={
            "verbal-reviewer_name": "Dr Granskare",
            "verbal-called_person": "Dr Åberg",
            "verbal-called_at": at,
        },
    )


def _post_forwarded(client: FlaskClient, auth: AuthActions, case_id: int, at: str) -> TestResponse:
    auth.login("secretary")
    return client.post(
        f"/routines/reviewer/cases/{case_id}/forwarded",
        data={"forward-number": "0999-123 46", "forward-at": at},
    )


def _post_receive(client: FlaskClient, auth: AuthActions, case_id: int, at: str) -> TestResponse:
    auth.login("secretary")
    code = case_code(client.application, case_id)
    data = receive_data(
        code, received_at=at, forwarded=False, state="preliminary", conclusion="Avskriven text."
    )
    return client.post("/routines/reviewer/receive", data=data)


def _entry_at(kind: str) -> Callable[[Flask], datetime | None]:
    return lambda app: _one(
        app,
        select(ReviewerLogEntry.at)
        .where(ReviewerLogEntry.kind == kind)
        .order_by(ReviewerLogEntry.id.desc())
        .limit(1),
    )


PLACES = {
    "fax-report": Place(
        _plain_case,
        _post_fax,
        lambda app: _one(app, select(Report.fax_received_at)),
        "received_at",
        "Skriven text kvar.",
    ),
    "urgent-call": Place(
        _plain_case,
        _post_call,
        lambda app: _one(app, select(UrgentCall.called_at)),
        "called_at",
        "Neurokirurg kontaktas",
    ),
    "restore-call": Place(
        _restored_case,
        _post_restore_call,
        lambda app: _one(app, select(CancelNotice.called_at).where(CancelNotice.kind == "called")),
        "called_at",
        "Görs i eftermiddag",
    ),
    "reviewer-fax": Place(
        _reviewer_case, _post_reviewer_fax, _entry_at("fax_sent"), "fax-sent_at", "0999-600 01"
    ),
    "reviewer-verbal": Place(
        _reviewer_case, _post_verbal, _entry_at("verbal_answer"), "verbal-called_at", "Dr Åberg"
    ),
    "reviewer-forwarded": Place(
        _answered_reviewer_case,
        _post_forwarded,
        _entry_at("forwarded"),
        "forward-at",
        "0999-123 46",
    ),
    "reviewer-receive": Place(
        _reviewer_case,
        _post_receive,
        _entry_at("report_received"),
        "received_at",
        "Avskriven text.",
    ),
}


@pytest.mark.parametrize("name", list(PLACES))
def test_a_time_in_the_repeated_hour_after_an_arrival_in_its_second_pass_is_stored_so(
    app: Flask, client: FlaskClient, auth: AuthActions, name: str
) -> None:
    place = PLACES[name]
    case_id = place.make(app, client, auth)
    _arrived(app, case_id, SECOND_PASS_ARRIVAL)
    response = place.post(client, auth, case_id, TYPED)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert place.stored(app) == SECOND_PASS


@pytest.mark.parametrize("name", list(PLACES))
def test_a_time_before_the_arrival_in_both_passes_is_still_refused_beside_its_field(
    app: Flask, client: FlaskClient, auth: AuthActions, name: str
) -> None:
    place = PLACES[name]
    case_id = place.make(app, client, auth)
    _arrived(app, case_id, SECOND_PASS_ARRIVAL)
    response = place.post(client, auth, case_id, BEFORE_IN_BOTH)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, place.field_id)
    assert f'value="{BEFORE_IN_BOTH}"' in page and place.kept in page
    assert place.stored(app) is None


@pytest.mark.parametrize("name", ["fax-report", "urgent-call", "reviewer-fax"])
def test_a_time_whose_first_pass_is_after_the_arrival_keeps_its_first_pass(
    app: Flask, client: FlaskClient, auth: AuthActions, name: str
) -> None:
    place = PLACES[name]
    case_id = place.make(app, client, auth)
    _arrived(app, case_id, FIRST_PASS_ARRIVAL)
    assert place.post(client, auth, case_id, TYPED).status_code == 302
    assert place.stored(app) == FIRST_PASS


def _paper(
    client: FlaskClient, auth: AuthActions, case_id: int, radiologist_id: int, **fields: str
) -> TestResponse:
    auth.login("secretary")
    data = paper_report_data(radiologist_id, conclusion="Bedömning kvar.", **fields)
    return client.post(f"/reporting/{case_id}/paper", data=data)


def _faxed_paper(written_at: str, faxed_at: str) -> dict[str, str]:
    return {
        "written_at": written_at,
        "already_faxed": "y",
        "faxed_at": faxed_at,
        "fax_number": "035-111 22 33",
    }


def test_a_paper_written_and_faxed_in_the_repeated_hour_after_the_arrival_is_stored_so(
    app: Flask, client: FlaskClient, auth: AuthActions, radiologist_id: int
) -> None:
    case_id = _plain_case(app, client, auth)
    _arrived(app, case_id, SECOND_PASS_ARRIVAL)
    response = _paper(
        client, auth, case_id, radiologist_id, **_faxed_paper(TYPED, "2026-10-25T02:45")
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert _one(app, select(Report.definitive_at)) == SECOND_PASS
    assert _one(app, select(ReportDispatch.faxed_at)) == datetime(2026, 10, 25, 1, 45, tzinfo=UTC)


def test_a_paper_written_before_the_arrival_in_the_first_pass_only_is_read_as_the_second(
    app: Flask, client: FlaskClient, auth: AuthActions, radiologist_id: int
) -> None:
    case_id = _plain_case(app, client, auth)
    _arrived(app, case_id, SECOND_PASS_ARRIVAL)
    assert _paper(client, auth, case_id, radiologist_id, written_at=TYPED).status_code == 302
    assert _one(app, select(Report.definitive_at)) == SECOND_PASS


def test_a_paper_written_before_the_arrival_in_both_passes_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth: AuthActions, radiologist_id: int
) -> None:
    case_id = _plain_case(app, client, auth)
    _arrived(app, case_id, SECOND_PASS_ARRIVAL)
    response = _paper(client, auth, case_id, radiologist_id, written_at=BEFORE_IN_BOTH)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "written_at")
    assert f'value="{BEFORE_IN_BOTH}"' in page and "Bedömning kvar." in page
    assert _one(app, select(Report.id)) is None


def test_a_paper_in_order_only_in_a_reading_before_the_arrival_is_refused(
    app: Flask, client: FlaskClient, auth: AuthActions, radiologist_id: int
) -> None:
    # Arrived 02:00 in the second pass (01:00 UTC). Written 02:40 after it can only be its
    # second pass (01:40 UTC); faxed 02:10 can then only be 02:10 winter time (01:10 UTC),
    # before the writing: no reading keeps both after the arrival and in order.
    case_id = _plain_case(app, client, auth)
    _arrived(app, case_id, datetime(2026, 10, 25, 1, 0, tzinfo=UTC))
    fields = _faxed_paper(TYPED, "2026-10-25T02:10")
    response = _paper(client, auth, case_id, radiologist_id, **fields)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "före remissens ankomst (2026-10-25 02:00)" in _beside(page, "written_at")
    assert 'value="2026-10-25T02:10"' in page and f'value="{TYPED}"' in page
    assert _one(app, select(Report.id)) is None
    assert _one(app, select(ReportDispatch.id)) is None
