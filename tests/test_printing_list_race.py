"""The incident's case list printed on two tablets at the same moment (real concurrent
requests, both databases): each print is numbered, and no number is given twice."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, PrintRecord

from .row_held import sent_while_row_held


def test_two_prints_of_the_case_list_at_once_get_two_numbers(
    app: Flask, client: FlaskClient, auth, case_id: int, tablet_factory
) -> None:
    auth.login("radiographer")
    other = tablet_factory("rsk-bo")
    with app.app_context():
        incident_id = db.session.scalar(select(Case.incident_id))
    url = f"/print/incidents/{incident_id}/list.pdf"
    responses = sent_while_row_held(
        app, "incident", incident_id, [lambda: client.get(url), lambda: other.get(url)]
    )
    assert [r.status_code for r in responses] == [200, 200]
    with app.app_context():
        numbers = db.session.scalars(
            select(PrintRecord.version).where(PrintRecord.doc == "list-masked")
        ).all()
        assert sorted(numbers) == [1, 2]
