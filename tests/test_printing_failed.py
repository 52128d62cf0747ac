"""A print whose drawing fails is never logged as printed, and the user is told in Swedish."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import printforms.base
from webapp.extensions import db
from webapp.models import AuditEvent, Case, ImageRelease, PrintRecord, ReservedCode

from .printforms.conftest import pdf_text
from .routines_support import make_case
from .test_blanks_reserve import batch_pdf_link

FAILED = "Utskriften kunde inte skapas"
RECIPIENT = {
    "svar-recipient_name": "Röntgen Växjö lasarett",
    "svar-recipient_address": "Box 1\n351 85 Växjö",
}


def _raise(sheet: Any) -> Any:
    raise ValueError("a value the sheet cannot draw")


@pytest.fixture
def broken_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sheet's layout raises, as a value the layout cannot take would."""
    monkeypatch.setattr(printforms.base, "layout_sheet", _raise)


def _logged(app: Flask) -> tuple[int, int]:
    """(print records, print audit events)."""
    with app.app_context():
        records = db.session.scalar(select(func.count(PrintRecord.id)))
        events = db.session.scalar(
            select(func.count(AuditEvent.id)).where(AuditEvent.action == "print")
        )
        return records or 0, events or 0


def _told(client: FlaskClient, response: Any) -> str:
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return page.get_data(as_text=True)


@pytest.mark.parametrize("kind", ["report", "cover", "all"])
def test_a_case_document_whose_drawing_fails_is_not_logged_and_the_user_is_told(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    with monkeypatch.context() as patch:
        patch.setattr(printforms.base, "layout_sheet", _raise)
        response = client.get(f"/print/cases/{case_id}/{kind}.pdf")
    assert response.mimetype != "application/pdf"
    page = _told(client, response)
    assert FAILED in page and "inget loggades som utskrivet" in page
    assert _logged(app) == (0, 0)
    # The failed attempt left no paper: the first sheet that is drawn is no copy.
    text = pdf_text(client.get(f"/print/cases/{case_id}/{kind}.pdf").get_data())
    assert "KOPIA" not in text
    assert _logged(app) == (4 if kind == "all" else 1, 1)


def test_a_reprint_whose_drawing_fails_leaves_the_first_print_the_only_one(
    app: Flask, client: FlaskClient, auth, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("radiographer")
    client.get(f"/print/cases/{case_id}/exam.pdf")
    with monkeypatch.context() as patch:
        patch.setattr(printforms.base, "layout_sheet", _raise)
        assert FAILED in _told(client, client.get(f"/print/cases/{case_id}/exam.pdf"))
    assert _logged(app) == (1, 1)
    copy = pdf_text(client.get(f"/print/cases/{case_id}/exam.pdf").get_data())
    assert "KOPIA" in copy and "ÄNDRAD" not in copy
    with app.app_context():
        assert [r.is_reprint for r in db.session.scalars(select(PrintRecord))] == [False, True]


def test_an_incident_list_whose_drawing_fails_is_not_logged(
    app: Flask, client: FlaskClient, auth, case_id: int, broken_drawing: None
) -> None:
    auth.login("radiographer")
    with app.app_context():
        incident_id = db.session.scalar(select(Case.incident_id))
    response = client.get(f"/print/incidents/{incident_id}/list.pdf?masked=0")
    assert f"/incidents/{incident_id}" in response.headers["Location"]
    assert FAILED in _told(client, response)
    assert _logged(app) == (0, 0)


def test_a_release_report_whose_drawing_fails_keeps_the_recipient_typed(
    app: Flask, client: FlaskClient, auth, broken_drawing: None
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    release = {
        "recipient_kind": "other_region_hospital",
        "recipient_name": "Växjö lasarett",
        "channel": "media",
        "recipient_not_on_iep": "y",
        "media_kind": "cd",
        "delivery": "post",
    }
    assert client.post(f"/routines/releases/cases/{case_id}", data=release).status_code == 302
    with app.app_context():
        release_id = db.session.scalars(select(ImageRelease.id)).one()
    response = client.post(f"/routines/releases/{release_id}/report.pdf", data=RECIPIENT)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert FAILED in page
    assert 'value="Röntgen Växjö lasarett"' in page and "351 85 Växjö" in page
    assert _logged(app) == (0, 0)


def test_blanks_whose_drawing_fails_are_not_logged_as_printed(
    app: Flask, client: FlaskClient, auth, broken_drawing: None
) -> None:
    auth.login("admin")
    reserved = client.post("/blanks/reserve", data={"count": "2", "doc_kind": "BLR"})
    response = client.get(batch_pdf_link(client, reserved))
    page = _told(client, response)
    assert FAILED in page
    assert "2 blanketter reserverade" in page  # the batch's link is still there, to try again
    assert _logged(app) == (0, 0)
    response = client.get("/blanks/unused.pdf?kind=BLR")
    assert FAILED in _told(client, response)
    assert _logged(app) == (0, 0)


def test_blanks_whose_drawing_fails_stay_unprinted(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("admin")
    link = batch_pdf_link(
        client, client.post("/blanks/reserve", data={"count": "2", "doc_kind": "BLR"})
    )
    with monkeypatch.context() as patch:
        patch.setattr(printforms.base, "layout_sheet", _raise)
        assert FAILED in _told(client, client.get(link))
        assert FAILED in _told(client, client.get("/blanks/unused.pdf?kind=BLR"))
    with app.app_context():
        assert db.session.scalars(select(ReservedCode.printed_at)).all() == [None, None]
    assert client.get("/blanks/").get_data(as_text=True).count("Oanvänd, inte utskriven") == 2
    # The sheets drawn once it works are the originals.
    assert "KOPIA" not in pdf_text(client.get(link).get_data())
