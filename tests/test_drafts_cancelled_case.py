"""A draft of a live case's form while the case is cancelled: its form cannot be saved until the
cancellation is undone, so it is offered to read, beside the way to the case page where the
cancellation is undone, never as a form to go on typing."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Draft

from .routines_support import make_case

KEY = "cancelledcase-" + "k" * 20
TYPED = "Kontrast given i vänster armbåge"
VERBAL = "Blödning, kontakta neurokirurg."


def _put(client: FlaskClient, kind: str, case_id: int, data: dict[str, str]) -> int:
    saved = client.put(
        f"/api/drafts/{KEY}",
        json={"kind": kind, "seq": 1, "case_id": str(case_id), "data": data},
    )
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return case_id


def _cancel(client: FlaskClient, case_id: int) -> None:
    cancelled = client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient vald"})
    assert cancelled.status_code == 302, cancelled.get_data(as_text=True)


def _draft_id(app: Flask) -> int:
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id).where(Draft.form_key == KEY))
    assert draft_id is not None
    return draft_id


def _cancelled_with_exam_draft(client: FlaskClient, auth) -> int:
    """A case whose exam form a radiographer began, then cancelled; the radiographer logged in."""
    case_id = make_case(client, auth, scenario="integration", exam=False)
    auth.login("radiographer")
    _put(client, "exam", case_id, {"form_key": KEY, "notes": TYPED})
    _cancel(client, case_id)
    return case_id


def _row(page: str) -> str:
    return next(r for r in page.split("<tr>") if "/drafts/" in r and "Dokumentation" in r)


def test_the_drafts_list_offers_a_cancelled_cases_form_to_read_and_its_case_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_exam_draft(client, auth)
    row = _row(client.get("/drafts").get_data(as_text=True))
    assert "Ärendet är makulerat" in row
    assert f'href="/drafts/{_draft_id(app)}"' in row and "Läs utkastet" in row
    # Where the cancellation is undone, after which the form can be sent again.
    assert f'href="/cases/{case_id}"' in row
    assert "Fortsätt" not in row and f"draft={KEY}" not in row


def test_the_drafts_list_offers_the_form_again_once_the_cancellation_is_undone(
    client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_exam_draft(client, auth)
    restored = client.post(f"/cases/{case_id}/restore", data={"reason": "Makulerad av misstag"})
    assert restored.status_code == 302
    row = _row(client.get("/drafts").get_data(as_text=True))
    assert "Fortsätt" in row and f"draft={KEY}" in row
    assert "Ärendet är makulerat" not in row


def test_a_cancelled_cases_draft_read_on_its_own_page_says_why_it_cannot_be_sent(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_exam_draft(client, auth)
    page = client.get(f"/drafts/{_draft_id(app)}").get_data(as_text=True)
    assert "Ärendet är makulerat" in page
    assert "kan inte sparas förrän makuleringen ångras på ärendets sida" in page
    assert f'href="/cases/{case_id}"' in page
    assert "Fortsätt i formuläret" not in page and f"draft={KEY}" not in page
    assert TYPED in page


def test_the_form_page_of_a_cancelled_case_offers_its_draft_to_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_exam_draft(client, auth)
    page = client.get(f"/cases/{case_id}/exam").get_data(as_text=True)
    offer = page.split('class="panel drafts-hint draft-offer"', 1)[1].split("</div>\n</div>")[0]
    assert "Läs utkastet" in offer and f"/drafts/{_draft_id(app)}?next=" in offer
    assert "Fortsätt" not in offer and f"draft={KEY}" not in offer


def test_the_reviewer_page_of_a_cancelled_case_offers_the_verbal_answer_to_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, exam=False)
    auth.login("radiographer")
    _put(client, "reviewer_verbal", case_id, {"verbal-form_key": KEY, "verbal-note": VERBAL})
    _cancel(client, case_id)
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    offer = page.split('class="panel drafts-hint draft-offer"', 1)[1].split("</div>\n</div>")[0]
    assert "Läs utkastet" in offer and f"/drafts/{_draft_id(app)}?next=" in offer
    assert f'href="/cases/{case_id}"' in offer
    assert "Fortsätt" not in offer and f"draft={KEY}" not in offer
