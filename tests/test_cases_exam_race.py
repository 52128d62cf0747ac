"""Two saves of one exam documentation at the same moment (real concurrent requests).

A twin of the same save is answered as its replay; a save from another screen that showed the
same version is refused as stale, never written over the first.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import ExamRecord, RecordVersion

from .factories import exam_data
from .twin_race import posted_while_the_case_was_locked


def _exam_versions(app: Flask) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count())
                .select_from(RecordVersion)
                .where(RecordVersion.entity == "exam")
            )
            or 0
        )


def test_a_twin_exam_save_at_the_same_moment_answers_as_a_replay(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("radiographer")
    url = f"/cases/{case_id}/exam"
    edit = exam_data(notes="Patienten orolig", key_suffix="twin", version="1")
    responses = posted_while_the_case_was_locked(
        app, case_id, [(client, url, edit), (tablet_factory("test-radiographer"), url, edit)]
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert _exam_versions(app) == 1


def test_an_exam_save_from_another_screen_at_the_same_moment_is_refused_not_written_over(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("radiographer")
    url = f"/cases/{case_id}/exam"
    a = exam_data(notes="Kontrast gavs i vänster arm", key_suffix="a", version="1")
    b = exam_data(notes="Patienten rörde sig", key_suffix="b", version="1")
    responses = posted_while_the_case_was_locked(
        app, case_id, [(client, url, a), (tablet_factory("test-radiographer"), url, b)]
    )
    statuses = [r.status_code for r in responses]
    assert sorted(statuses) == [302, 409]
    with app.app_context():
        notes = db.session.scalar(select(ExamRecord.notes))
    assert notes == (a, b)[statuses.index(302)]["notes"]
    assert _exam_versions(app) == 1
