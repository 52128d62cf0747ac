"""The receive form's tick for the copy to the referrer follows the case page's rule: the copy
is printed from a signed report in the app, so without one the tick is refused beside it and
nothing of the form is stored, the receipt neither."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Report, ReviewerExchange

from .factories import audit_events, case_code
from .reviewer_support import _entries
from .routines_support import ENTERED, make_case, receive_data

NO_REPORT = "Granskarens utlåtande är inte infört i appen"


def _tick_block(page: str) -> str:
    start = page.index('name="forwarded"')
    return page[page.rindex("<div", 0, start) : page.index("</div>", start)]


def test_a_ticked_copy_without_the_text_is_refused_beside_the_tick_and_nothing_is_stored(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    code = case_code(app, case_id)
    auth.login("radiographer")
    data = receive_data(code, reviewer_name="Dr Nattsson", received_at="2026-01-15T11:41")
    response = client.post("/routines/reviewer/receive", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="forwarded-error"' in page
    assert NO_REPORT in _tick_block(page)
    assert 'value="Dr Nattsson"' in page
    assert 'value="2026-01-15T11:41"' in page
    assert f'value="{code}"' in page
    assert "checked" in _tick_block(page)  # the tick stays as ticked
    assert _entries(app) == []
    assert not audit_events(app, "reviewer_report_received")
    assert not audit_events(app, "reviewer_report_forwarded")
    with app.app_context():
        exchange = db.session.scalar(select(ReviewerExchange))
        assert exchange is None or exchange.report_received_at is None


def test_a_secretary_ticking_the_copy_without_typing_the_text_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    response = client.post("/routines/reviewer/receive", data=receive_data(case_code(app, case_id)))
    assert response.status_code == 400
    assert NO_REPORT in _tick_block(response.get_data(as_text=True))
    assert _entries(app) == []


def test_the_copy_is_logged_with_the_receipt_that_enters_the_signed_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    response = client.post(
        "/routines/reviewer/receive", data=receive_data(case_code(app, case_id), **ENTERED)
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received", "forwarded"]
    assert _entries(app)[1][1] == "0999-123 46"  # the referral's reply fax
    with app.app_context():
        assert db.session.scalar(select(Report.state)) == "preliminary"


def test_the_copy_is_logged_when_the_case_already_has_a_signed_report(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="preliminary")
    auth.login("radiographer")
    response = client.post("/routines/reviewer/receive", data=receive_data(case_code(app, case_id)))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received", "forwarded"]
