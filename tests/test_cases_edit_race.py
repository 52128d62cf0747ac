"""Two referral edits at the same moment (real concurrent requests, both databases)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Case, RecordVersion, Referral

from .factories import referral_data
from .twin_race import posted_while_the_case_was_locked


def test_a_twin_referral_edit_at_the_same_moment_answers_as_a_replay(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("radiographer")
    url = f"/cases/{case_id}/referral"
    with app.app_context():
        shown = str(db.session.scalar(select(Case.version)))
    edit = referral_data(
        reply_fax="0999-555 55", key_suffix="twin", version="1", case_version=shown
    )
    responses = posted_while_the_case_was_locked(
        app, case_id, [(client, url, edit), (tablet_factory("test-radiographer"), url, edit)]
    )
    assert [r.status_code for r in responses] == [302, 302]
    with app.app_context():
        assert db.session.scalar(select(Referral.reply_fax)) == "0999-555 55"
        versions = select(func.count()).select_from(RecordVersion)
        assert db.session.scalar(versions.where(RecordVersion.entity == "referral")) == 1
