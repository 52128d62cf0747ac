"""A transfer's try logged as its case is cancelled (concurrent requests, PostgreSQL).

The try reads that the case still stands; unless the cancel waits for it, the cancel can commit
in between and the try land after it, on a case that no longer stood. The case's log then
reads a try after the cancel, which the app refuses when they come one after the other.
"""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent

from .dbsetup import using_postgres
from .routines_support import transfer_case, transfer_data
from .row_held import sent_while_stopped_before

# The try has read the case's status and is about to write its audit row, its first write.
ATTEMPT_WRITE = re.compile(r'INSERT INTO "?audit_event"?\s')


def test_a_try_logged_as_the_case_is_cancelled_never_lands_after_the_cancel(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = client.post("/routines/transfers/new", data=transfer_data(case_code=code)).headers[
        "Location"
    ]
    other = tablet_factory("rsk-bo")

    def attempt():
        return client.post(url + "/attempts", data={"route": "direct", "outcome": "failed"})

    def cancel():
        data = {"confirm_ris_pacs": "y", "reason": "Fel patient"}
        return other.post(f"/cases/{case_id}/cancel", data=data)

    if using_postgres():
        tried, cancelled = sent_while_stopped_before(app, ATTEMPT_WRITE, attempt, cancel)
    else:
        tried, cancelled = attempt(), cancel()
    assert cancelled.status_code == 302, cancelled.get_data(as_text=True)[:2000]
    assert tried.status_code in (302, 400), tried.get_data(as_text=True)[:2000]
    with app.app_context():
        order = db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.in_(("transfer_attempt", "case_cancel")))
            .order_by(AuditEvent.id)
        ).all()
    assert order[-1] == "case_cancel", order
