"""A release of images at the same moment as another write of its case (real concurrent
requests, both databases).

The routine's rules are checked on the case as the release is written: a case cancelled at
the same moment has no release recorded (or billed) on it.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, ImageRelease

from .routines_support import make_case
from .row_held import sent_while_row_held

# Sent to the regional archive: allowed before any report is signed, while the case may still
# be cancelled.
PUSH = {
    "recipient_kind": "own_region_hospital",
    "recipient_name": "Lillby lasarett",
    "channel": "archive_push",
}


def test_a_release_sent_as_its_case_is_cancelled_is_not_recorded(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    secretary = tablet_factory("sekr-bo", role="secretary")
    cancel, release = sent_while_row_held(
        app,
        "case",
        case_id,
        [
            lambda: client.post(
                f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"}
            ),
            lambda: secretary.post(f"/routines/releases/cases/{case_id}", data=PUSH),
        ],
    )
    assert cancel.status_code == 302
    assert release.status_code != 302
    assert "Ärendet är makulerat." in release.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "cancelled"
        assert db.session.scalar(select(func.count(ImageRelease.id))) == 0
        created = select(func.count(AuditEvent.id)).where(AuditEvent.action == "release_create")
        assert db.session.scalar(created) == 0
