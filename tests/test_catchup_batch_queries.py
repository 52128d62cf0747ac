"""The batch page costs the same few queries for 3 cases as for 8 (none per case)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Incident

from .factories import exam_data, referral_data
from .statements import sent_statements


def _selects(app: Flask, client: FlaskClient, path: str) -> int:
    with sent_statements(app) as statements:
        assert client.get(path).status_code == 200
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


def _add_cases(client: FlaskClient, first: int, n: int) -> None:
    for i in range(first, first + n):
        location = client.post("/cases/new", data=referral_data(key_suffix=i)).headers["Location"]
        client.post(location + "/exam", data=exam_data())


def test_batch_page_queries_do_not_grow_with_its_cases(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    _add_cases(client, 0, 3)
    with app.app_context():
        incident_id = db.session.scalar(select(Incident.id))
    auth.login("secretary")
    path = f"/catchup/incidents/{incident_id}"
    few = _selects(app, client, path)
    auth.login("radiographer")
    _add_cases(client, 3, 5)
    auth.login("secretary")
    assert _selects(app, client, path) == few
