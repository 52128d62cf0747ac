"""Copies of the reviewer's report forwarded before the upgrade cover what the old rule read from
the times, never more."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from webapp.extensions import db
from webapp.incidents.close_asked import unfaxed_reports
from webapp.models import Case
from webapp.startup import prepare

from .clock_support import clock_set_back
from .factories import case_code, exam_data, referral_data
from .routines_support import make_case, receive_reviewer_report
from .test_reporting_dispatch_reviewer_order import DEFINITIVE, PRELIMINARY

BEFORE = "a7a000f3aaad"  # transfer patient name, the revision before the forwarded signature


def _covered(app: Flask) -> dict[int, int | None]:
    """Each forwarded copy's case and the signature it covers."""
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT x.case_id, e.signature_id FROM reviewer_log_entry e"
                " JOIN reviewer_exchange x ON x.id = e.exchange_id WHERE e.kind = 'forwarded'"
            )
        ).all()
        db.session.remove()
    return {case_id: signature_id for case_id, signature_id in rows}


def _first_signature(app: Flask, case_id: int) -> int:
    with app.app_context():
        return db.session.get(Case, case_id).report.signatures[0].id


def _unfaxed(app: Flask, case_id: int) -> list[int]:
    with app.app_context():
        incident_id = db.session.get(Case, case_id).incident_id
        found = [r.case_id for r in unfaxed_reports(incident_id)]
        db.session.remove()
    return found


def test_forwarded_copies_cover_the_signatures_made_before_them_on_upgrade(
    app: Flask, client: FlaskClient, auth
) -> None:
    plain = make_case(client, auth)
    auth.login("radiographer")
    location = client.post("/cases/new", data=referral_data(key_suffix="2")).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    clock_back = int(location.rsplit("/", 1)[-1])
    # Forwarded with the clock running on: the copy covers the preliminary answer.
    receive_reviewer_report(client, auth, case_code(app, plain), role="secretary", **PRELIMINARY)
    # The copy logged an hour "before" the answer, the definitive one entered two hours before.
    receive_reviewer_report(
        client, auth, case_code(app, clock_back), role="secretary", forwarded=False, **PRELIMINARY
    )
    with clock_set_back(1):
        client.post(
            f"/routines/reviewer/cases/{clock_back}/forwarded",
            data={"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"},
        )
    with clock_set_back(2):
        assert client.post(f"/reporting/{clock_back}/fax", data=DEFINITIVE).status_code == 302
    expected = {plain: _first_signature(app, plain), clock_back: _first_signature(app, clock_back)}
    assert _covered(app) == expected
    assert _unfaxed(app, plain) == [clock_back]

    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=BEFORE)
        columns = {c["name"] for c in inspect(db.engine).get_columns("reviewer_log_entry")}
        db.engine.dispose()
    assert "signature_id" not in columns
    prepare(app)

    # By the times, the second case's copy came before its preliminary answer: it covers none,
    # so the definitive answer timed before the copy is not taken off the lists by it either.
    assert _covered(app) == {plain: expected[plain], clock_back: None}
    assert _unfaxed(app, plain) == [clock_back]
