"""A second tap on an act already done says so calmly and records nothing more."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ImageRelease, ReviewerExchange, ReviewerLogEntry

from .factories import audit_events, case_code
from .routines_support import (
    make_case,
    receive_reviewer_report,
    released_to_the_patient,
    transfer_data,
)


def test_handover_tapped_twice_says_already_handed_over_without_an_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    location = released_to_the_patient(client, auth)
    assert client.post(location + "/handover", data={"patient_id_checked": "y"}).status_code == 302
    with app.app_context():
        first = db.session.scalar(select(ImageRelease)).handed_over_at
    again = client.post(
        location + "/handover", data={"patient_id_checked": "y"}, follow_redirects=True
    )
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert 'class="flash flash-info">Skivan var redan utlämnad – inget dubblerades.' in page
    assert "flash-error" not in page
    assert len(audit_events(app, "release_handover")) == 1
    with app.app_context():
        assert db.session.scalar(select(ImageRelease)).handed_over_at == first


def test_admin_done_tapped_twice_says_already_done_without_an_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    auth.login("admin")
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    url = f"/routines/reviewer/queue/{exchange_id}/done"
    client.post(url, data={"note": "Svar i RIS"})
    page = client.post(url, data={"note": "Svar i RIS"}, follow_redirects=True).get_data(
        as_text=True
    )
    assert 'class="flash flash-info">Posten var redan klar – inget dubblerades.' in page
    assert "flash-error" not in page
    assert len(audit_events(app, "reviewer_admin_done")) == 1
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(ReviewerLogEntry))]
    assert kinds.count("admin_done") == 1


def test_transfer_closed_twice_says_already_closed_without_an_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    client.post(url + "/attempts", data={"route": "dvd", "outcome": "ok"})
    data = {"close-status": "done", "close-note": "DVD med ambulansen"}
    assert client.post(url + "/close", data=data).status_code == 302
    again = client.post(url + "/close", data=data, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert again.status_code == 200
    assert 'class="flash flash-info">Överföringen var redan avslutad – inget dubblerades.' in page
    assert len(audit_events(app, "transfer_close")) == 1
