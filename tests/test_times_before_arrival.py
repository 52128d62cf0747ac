"""A time typed for a case before its referral arrived (10:30) is refused beside its field,
with what was typed kept: keyed reports, and the exchange with the external reviewer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReportDispatch, ReviewerLogEntry, UrgentCall, User
from webapp.reporting.faxed import FaxedOn, enter_faxed_report
from webapp.reporting.services import ReportError

from .factories import audit_events, case_code, faxed_report_data, hidden_value, paper_report_data
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case, receive_data, receive_reviewer_report
from .test_cases_restore_call import _log_call, _restored_after_notice

REFUSAL = (
    "Tiden är före remissens ankomst (2026-01-15 10:30). Kontrollera datum och klockslag – eller "
    "remissens ankomsttid, om det är den som är fel."
)
EARLY = "2026-01-15T10:29"


def _reports(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Report.id))) or 0


def _entries(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(ReviewerLogEntry.id))) or 0


def _beside(page: str, field_id: str) -> str:
    """The error text shown next to the field."""
    return page.split(f'id="{field_id}-error"', 1)[1].split("</p>", 1)[0]


def test_a_faxed_report_received_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    data = faxed_report_data(received_at="2026-01-14T11:10", findings="Skriven text kvar.")
    response = client.post(f"/reporting/{case_id}/fax", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "received_at")
    assert 'value="2026-01-14T11:10"' in page and "Skriven text kvar." in page
    assert 'value="Dr Extern Granskare"' in page
    assert _reports(app) == 0


def test_a_faxed_report_received_the_minute_the_referral_arrived_is_entered(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    data = faxed_report_data(received_at="2026-01-15T10:30")
    assert client.post(f"/reporting/{case_id}/fax", data=data).status_code == 302
    assert _reports(app) == 1


def test_a_paper_report_written_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth, case_id: int, radiologist_id: int
) -> None:
    auth.login("secretary")
    data = paper_report_data(radiologist_id, written_at=EARLY, conclusion="Bedömning kvar.")
    response = client.post(f"/reporting/{case_id}/paper", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "written_at")
    assert f'value="{EARLY}"' in page and "Bedömning kvar." in page
    assert _reports(app) == 0


@pytest.mark.parametrize(
    ("received", "faxed"),
    [
        (datetime(2026, 1, 15, 9, 0, tzinfo=UTC), None),
        (datetime(2026, 1, 15, 10, 0, tzinfo=UTC), datetime(2026, 1, 15, 9, 0, tzinfo=UTC)),
    ],
    ids=["report", "fax-to-referrer"],
)
def test_the_service_refuses_a_keyed_report_timed_before_the_referral_arrived(
    app: Flask, client: FlaskClient, auth, case_id: int, received: datetime, faxed: datetime | None
) -> None:
    # 09:00 UTC is 10:00 in Stockholm, before the 10:30 arrival; 10:00 UTC (11:00) is after.
    auth.login("secretary")
    with app.app_context():
        secretary = db.session.scalar(select(User).where(User.username == "test-secretary"))
        with pytest.raises(ReportError, match="före remissens ankomst"):
            enter_faxed_report(
                case_id=case_id,
                user=secretary,
                author_name="Dr Papper",
                received_at=received,
                sections=[{"heading": "Bedömning", "text": "Normalt."}],
                state="definitive",
                is_urgent=False,
                source="paper",
                faxed_on=FaxedOn("035-111 22 33", faxed) if faxed else None,
            )
        assert db.session.scalar(select(func.count(ReportDispatch.id))) == 0
    assert _reports(app) == 0


def test_a_fax_to_the_reviewer_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    response = _fax_to_the_reviewer(client, auth, case_id, sent_at=EARLY)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "fax-sent_at")
    assert f'value="{EARLY}"' in page and 'value="0999-600 01"' in page
    assert _entries(app) == 0


def test_a_reviewer_answer_received_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("secretary")
    data = receive_data(
        code, received_at=EARLY, state="preliminary", conclusion="Avskriven bedömning."
    )
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "received_at")
    assert f'value="{EARLY}"' in page and "Avskriven bedömning." in page
    assert _entries(app) == 0 and _reports(app) == 0


def test_a_reviewers_call_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/verbal",
        data={
            "verbal-reviewer_name": "Dr Granskare",
            "verbal-called_person": "Dr Åberg",
            "verbal-called_at": EARLY,
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "verbal-called_at")
    assert f'value="{EARLY}"' in page and 'value="Dr Åberg"' in page
    assert _entries(app) == 0


def test_a_copy_forwarded_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth
) -> None:
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
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/forwarded",
        data={"forward-number": "0999-123 46", "forward-at": EARLY},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "forward-at")
    assert f'value="{EARLY}"' in page
    assert _entries(app) == 1  # the answer only


def test_an_urgent_call_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/call").get_data(as_text=True)
    data = {
        "form_key": hidden_value(page, "form_key"),
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "called_at": EARLY,
        "note": "Neurokirurg kontaktas",
    }
    response = client.post(f"/reporting/{case_id}/call", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "called_at")
    assert f'value="{EARLY}"' in page and "Neurokirurg kontaktas" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(UrgentCall.id))) == 0


def test_a_call_about_a_restored_case_before_the_referral_arrived_is_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _restored_after_notice(client, auth)
    response = _log_call(client, case_id, called_at=EARLY, note="Görs i eftermiddag")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert REFUSAL in _beside(page, "called_at")
    assert f'value="{EARLY}"' in page and "Görs i eftermiddag" in page
    assert audit_events(app, "restore_call") == []
