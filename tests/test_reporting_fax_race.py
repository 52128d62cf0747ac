"""The faxed definitive report keyed in by two secretaries at the same moment (real concurrent
requests, both databases): one enters it, the other is told it is already signed."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Report, ReportSignature

from .routines_support import make_case
from .row_held import sent_while_row_held


def _fax(state: str, conclusion: str, at: str) -> dict[str, str]:
    return {
        "author_name": "Dr Granskare",
        "received_at": at,
        "state": state,
        "findings": "Ingen blödning.",
        "conclusion": conclusion,
    }


def test_one_faxed_definitive_report_keyed_in_twice_at_once_is_entered_once(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    url = f"/reporting/{case_id}/fax"
    assert (
        client.post(url, data=_fax("preliminary", "Normalt.", "2026-01-15T23:10")).status_code
        == 302
    )
    other = tablet_factory("sekr-bo", role="secretary")
    first, second = sent_while_row_held(
        app,
        "case",
        case_id,
        [
            lambda: client.post(
                url, data=_fax("definitive", "Normalt, definitivt.", "2026-01-16T07:10")
            ),
            lambda: other.post(url, data=_fax("definitive", "Normalt, def.", "2026-01-16T07:12")),
        ],
    )
    assert [first.status_code, second.status_code] == [302, 400]
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert (report.state, report.version) == ("definitive", 2)
        assert report.sections[1]["text"] == "Normalt, definitivt."
        definitive = select(func.count(ReportSignature.id)).where(
            ReportSignature.kind == "definitive"
        )
        assert db.session.scalar(definitive) == 1
