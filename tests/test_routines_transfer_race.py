"""A transfer closed on two tablets at once, or closed while a try is logged (concurrent requests).

A transfer ends once: the second close is told it already ended, and a try logged at the
moment it ended is refused rather than stored on a closed transfer.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, ImageTransfer, TransferAttempt

from .routines_support import transfer_data
from .row_held import sent_while_row_held


def _opened(client: FlaskClient, auth) -> tuple[str, int]:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    client.post(url + "/attempts", data={"route": "dvd", "outcome": "ok"})
    return url, int(url.rsplit("/", 1)[-1])


def test_a_transfer_closed_on_two_tablets_at_once_ends_once(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    url, transfer_id = _opened(client, auth)
    other = tablet_factory("rsk-bo")
    done = {"close-status": "done", "close-note": "DVD med ambulansen"}
    abandoned = {"close-status": "abandoned", "close-note": "Patienten stannar här"}
    sent_while_row_held(
        app,
        "image_transfer",
        transfer_id,
        [
            lambda: client.post(url + "/close", data=done),
            lambda: other.post(url + "/close", data=abandoned),
        ],
    )
    with app.app_context():
        transfer = db.session.get(ImageTransfer, transfer_id)
        assert (transfer.status, transfer.outcome_note) == ("done", "DVD med ambulansen")
        closes = select(func.count(AuditEvent.id)).where(AuditEvent.action == "transfer_close")
        assert db.session.scalar(closes) == 1


def test_a_try_logged_as_the_transfer_is_closed_is_refused(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    url, transfer_id = _opened(client, auth)
    other = tablet_factory("rsk-bo")
    done = {"close-status": "done", "close-note": "DVD med ambulansen"}
    _, late = sent_while_row_held(
        app,
        "image_transfer",
        transfer_id,
        [
            lambda: client.post(url + "/close", data=done),
            lambda: other.post(url + "/attempts", data={"route": "direct", "outcome": "failed"}),
        ],
    )
    assert late.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(TransferAttempt.id))) == 1
