"""Two saves of one report at the same moment (real concurrent requests, both databases).

A twin of the same save (same form key, same content) is answered as the replay it is; a save
from another screen that showed the same version is refused as stale, never written over.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import RecordVersion, Report, ReportSignature

from .reporting_support import _report
from .twin_race import posted_while_the_case_was_locked


def _report_versions(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(RecordVersion)
                .where(RecordVersion.entity == "report")
            )
            or 0
        )


def _fynd(app: Flask) -> str:
    with app.app_context():
        return str(db.session.scalar(select(Report)).sections[0]["text"])


def test_a_twin_save_at_the_same_moment_answers_as_a_replay(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    url = f"/reporting/{case_id}"
    edit = _report("preliminary", key="t" * 20, version="1", fynd="Akut blödning vänster")
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [(client, url, edit), (tablet_factory("test-radiologist", role="radiologist"), url, edit)],
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert _report_versions(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_a_save_from_another_screen_at_the_same_moment_is_refused_not_written_over(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    url = f"/reporting/{case_id}"
    a = _report("save", key="a" * 20, version="1", fynd="Akut blödning vänster")
    b = _report("save", key="b" * 20, version="1", fynd="Ingen blödning.")
    responses = posted_while_the_case_was_locked(
        app,
        case_id,
        [(client, url, a), (tablet_factory("test-radiologist", role="radiologist"), url, b)],
    )
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [302, 409]
    saved = (a, b)[statuses.index(302)]
    assert _fynd(app) == saved["sections-0-text"]
    assert _report_versions(app) == 1
