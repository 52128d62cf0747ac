"""A transfer opened for a case that is cancelled since: its images would go out (or come in)
under a case that no longer stands. No try is logged under it any more, and its page and the
list say why; it is ended with a note (abandoned)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ImageTransfer, TransferAttempt

from .routines_support import transfer_case, transfer_data


def _transfer_of_cancelled_case(app: Flask, client: FlaskClient, auth) -> int:
    case_id, code = transfer_case(app, client, auth)
    opened = client.post("/routines/transfers/new", data=transfer_data(case_code=code))
    assert opened.status_code == 302
    with app.app_context():
        transfer_id = db.session.scalar(select(ImageTransfer.id))
    cancelled = client.post(
        f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
    )
    assert cancelled.status_code == 302
    client.get("/")  # the cancel's own flash is read here, not on the pages below
    assert transfer_id is not None
    return transfer_id


def _attempts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(TransferAttempt.id))) or 0


def test_a_try_under_a_case_cancelled_since_is_refused_beside_the_route_text_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer_of_cancelled_case(app, client, auth)
    refused = client.post(
        f"/routines/transfers/{transfer_id}/attempts",
        data={"form_key": "t" * 20, "route": "direct", "outcome": "ok", "note": "Skickat 14.05"},
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    error = page[page.index('id="route-error"') :]
    assert "makulerat" in error[:600]
    assert "Skickat 14.05" in page
    assert _attempts(app) == 0


def test_the_transfer_page_and_list_say_its_case_is_cancelled(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer_of_cancelled_case(app, client, auth)
    page = client.get(f"/routines/transfers/{transfer_id}").get_data(as_text=True)
    assert 'id="case-cancelled"' in page
    listed = client.get("/routines/transfers").get_data(as_text=True)
    row = listed[listed.index(f"#{transfer_id}</a>") :]
    assert "Ärendet makulerat" in row[: row.index("</tr>")]


def test_the_transfer_of_a_cancelled_case_is_still_ended_with_a_note(
    app: Flask, client: FlaskClient, auth
) -> None:
    transfer_id = _transfer_of_cancelled_case(app, client, auth)
    ended = client.post(
        f"/routines/transfers/{transfer_id}/close",
        data={"close-status": "abandoned", "close-note": "Ärendet makulerat, fel patient"},
    )
    assert ended.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(ImageTransfer.status)) == "abandoned"
