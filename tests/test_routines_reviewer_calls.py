"""The external reviewer's phone call with a verbal answer is the urgent call to the referrer."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerLogEntry, UrgentCall

from .factories import case_code
from .printforms.conftest import pdf_text
from .routines_support import make_case, receive_reviewer_report


def _urgent_report_by_fax(app: Flask, client: FlaskClient, auth, case_id: int) -> None:
    receive_reviewer_report(
        client,
        auth,
        case_code(app, case_id),
        role="radiologist",
        state="definitive",
        findings="Subduralhematom höger.",
        conclusion="Akut neurokirurgisk bedömning.",
        is_urgent="y",
    )


def _verbal_answer(client: FlaskClient, auth, case_id: int, reviewer: str, called: str) -> None:
    """A radiographer logs the reviewer's phone call with a verbal answer to the referrer."""
    auth.login("radiographer")
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/verbal",
        data={
            "verbal-reviewer_name": reviewer,
            "verbal-called_person": called,
            "verbal-called_at": "2026-01-15T11:30",
        },
    )
    assert response.status_code == 302


def test_urgent_faxed_report_asks_for_the_call_when_nobody_has_phoned(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    _urgent_report_by_fax(app, client, auth, case_id)
    assert "Ring remittenten" in client.get("/reporting/").get_data(as_text=True)


def test_reviewers_verbal_answer_counts_as_the_call_to_the_referrer(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    _verbal_answer(client, auth, case_id, "Dr Granskare", "Dr Åberg, akuten")
    _urgent_report_by_fax(app, client, auth, case_id)
    assert "Ring remittenten" not in client.get("/reporting/").get_data(as_text=True)
    assert "Ring remittenten" not in client.get("/board/").get_data(as_text=True)
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Dr Åberg, akuten" in screen


def test_anonymised_referral_gives_the_reviewer_the_referrers_phone(
    client: FlaskClient, auth
) -> None:
    # Very urgent: the reviewer phones the referrer directly, from the anonymised referral.
    case_id = make_case(client, auth)
    auth.login("radiographer")
    pdf = client.get(f"/print/cases/{case_id}/referral-anon.pdf").get_data()
    text = " ".join(pdf_text(pdf).split())
    assert "0999-123 45" in text  # the referrer's phone, as on the referral
    assert "Dr Åberg" in text
    assert "Örjan" not in text and "19121212" not in text


def test_a_verbal_answer_with_long_names_fits_its_log_columns(
    app: Flask, client: FlaskClient, auth
) -> None:
    # PostgreSQL refuses a value longer than its column (SQLite stores it): each stays within.
    case_id = make_case(client, auth)
    _verbal_answer(client, auth, case_id, "Dr " + "G" * 197, "Dr " + "Å" * 197)
    with app.app_context():
        entry = db.session.scalar(select(ReviewerLogEntry))
        columns = ReviewerLogEntry.__table__.c
        for name in ("number", "person", "route_key", "outcome"):
            assert len(getattr(entry, name)) <= columns[name].type.length, name
        assert entry.person.startswith("Dr GGG")


def test_the_verbal_answers_call_note_names_the_reviewer_in_its_own_slot(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The typed name may itself say "Extern granskare"; the note must not repeat the role.
    case_id = make_case(client, auth)
    _verbal_answer(client, auth, case_id, "Dr Ebba Näsström", "Dr Åberg, akuten")
    with app.app_context():
        call = db.session.scalar(select(UrgentCall))
        assert call is not None
        assert call.note == "Muntligt svar från extern granskare: Dr Ebba Näsström ringde."


def test_a_verbal_answer_keeps_all_that_was_said_in_the_call_log(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    said = "Blödning utesluten. " * 99 + "Slut på svaret."
    assert len(said) <= 2000
    response = client.post(
        f"/routines/reviewer/cases/{case_id}/verbal",
        data={
            "verbal-reviewer_name": "Dr " + "Granskare" * 20,
            "verbal-called_person": "Dr Åberg, akuten",
            "verbal-called_at": "2026-01-15T11:30",
            "verbal-note": said,
        },
    )
    assert response.status_code == 302
    with app.app_context():
        note = db.session.scalar(select(UrgentCall.note).where(UrgentCall.case_id == case_id))
    assert note is not None and note.endswith(said)
