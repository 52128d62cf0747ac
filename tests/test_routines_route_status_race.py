"""Two admins marking an image route at the same moment, the first time it is marked
(real concurrent requests, both databases)."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import RouteStatus, Site

from .row_held import sent_while_row_held


def test_a_route_marked_by_two_admins_at_once_keeps_one_status_the_later_one(
    app: Flask, client: FlaskClient, auth, tablet_factory
) -> None:
    auth.login("admin")
    other = tablet_factory("adm-bo", role="admin")
    with app.app_context():
        site_id = db.session.scalar(select(Site.id))
    url = "/routines/reviewer/routes/postprocessing"
    # Held: a route's first status refers to its site, so each insert waits after its look-up.
    first, second = sent_while_row_held(
        app,
        "site",
        site_id,
        [
            lambda: client.post(url, data={"is_working": "0", "note": "Går inte sedan i natt."}),
            lambda: other.post(url, data={"is_working": "1"}),
        ],
    )
    assert [first.status_code, second.status_code] == [302, 302]
    with app.app_context():
        assert db.session.scalar(select(func.count(RouteStatus.id))) == 1
        assert db.session.scalar(select(RouteStatus.is_working)) is True
