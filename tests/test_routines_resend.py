"""A routine form sent twice (a double tap, a resend after the Wi-Fi dropped) logs once."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReviewerLogEntry, TransferAttempt

from .factories import audit_events, case_code
from .routines_support import ENTERED, make_case, receive_reviewer_report, transfer_data


def _key(page: str, name: str) -> str:
    """The one-time key the page gave the form named by its key field."""
    found = re.search(rf'name="{name}" type="hidden" value="([^"]+)"', page)
    assert found, f"{name} missing from the page"
    return found.group(1)


def _kinds(app: Flask) -> list[str]:
    with app.app_context():
        return [e.kind for e in db.session.scalars(select(ReviewerLogEntry))]


def _reviewer_page(client: FlaskClient, auth) -> tuple[str, str]:
    """A new case's reviewer page as a radiographer opens it: its address and its text."""
    case_id = make_case(client, auth)
    auth.login("radiographer")
    url = f"/routines/reviewer/cases/{case_id}"
    return url, client.get(url).get_data(as_text=True)


def _sent_twice(client: FlaskClient, url: str, data: dict[str, str]) -> str:
    """The form posted, then posted again as after a dropped answer; the page after the second."""
    assert client.post(url, data=data).status_code == 302
    return client.post(url, data=data, follow_redirects=True).get_data(as_text=True)


def test_fax_to_the_reviewer_sent_twice_is_logged_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, page = _reviewer_page(client, auth)
    data = {
        "fax-number": "0999-600 01",
        "fax-sent_at": "2026-01-15T11:10",
        "fax-form_key": _key(page, "fax-form_key"),
    }
    assert "Faxet var redan loggat – inget dubblerades." in _sent_twice(client, url + "/fax", data)
    assert _kinds(app) == ["fax_sent"]
    assert len(audit_events(app, "reviewer_fax_sent")) == 1


def test_fax_resent_with_other_content_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, page = _reviewer_page(client, auth)
    key = _key(page, "fax-form_key")
    data = {"fax-number": "0999-600 01", "fax-sent_at": "2026-01-15T11:10", "fax-form_key": key}
    client.post(url + "/fax", data=data)
    other = client.post(url + "/fax", data={**data, "fax-number": "0999-600 02"})
    assert other.status_code == 400
    page = other.get_data(as_text=True)
    assert 'id="fax-number-error"' in page and 'value="0999-600 02"' in page
    assert _key(page, "fax-form_key") != key  # sent again, it is a fax of its own
    assert _kinds(app) == ["fax_sent"]


def test_image_route_tried_and_sent_twice_is_logged_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    url, page = _reviewer_page(client, auth)
    data = {
        "route-route_key": "teleradiology",
        "route-outcome": "failed",
        "route-form_key": _key(page, "route-form_key"),
    }
    assert "Bildöverföringen var redan loggad – inget dubblerades." in _sent_twice(
        client, url + "/route", data
    )
    assert _kinds(app) == ["image_route"]


def test_copy_forwarded_to_the_referrer_sent_twice_is_logged_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(
        client, auth, case_code(app, case_id), forwarded=False, role="secretary", **ENTERED
    )
    url = f"/routines/reviewer/cases/{case_id}"
    data = {
        "forward-number": "0999-123 46",
        "forward-at": "2026-01-15T11:50",
        "forward-form_key": _key(client.get(url).get_data(as_text=True), "forward-form_key"),
    }
    assert "Kopian var redan loggad – inget dubblerades." in _sent_twice(
        client, url + "/forwarded", data
    )
    assert _kinds(app) == ["report_received", "forwarded"]
    assert len(audit_events(app, "reviewer_report_forwarded")) == 1


def test_transfer_try_sent_twice_is_logged_once(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    data = {
        "route": "dvd",
        "outcome": "ok",
        "form_key": _key(client.get(url).get_data(as_text=True), "form_key"),
    }
    assert "Försöket var redan loggat – inget dubblerades." in _sent_twice(
        client, url + "/attempts", data
    )
    with app.app_context():
        assert len(list(db.session.scalars(select(TransferAttempt)))) == 1
    assert len(audit_events(app, "transfer_attempt")) == 1
