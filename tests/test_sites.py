"""Several sites on one instance: each user sees only their own site's cases."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Site

from .factories import DEFAULT_PIN, make_user, referral_data, second_site


def test_sites_directory_adds_sites(app: Flask) -> None:
    second_site(app)
    with app.app_context():
        assert {s.code for s in db.session.scalars(select(Site))} == {"EXS", "LBY"}


def test_user_of_another_site_sees_none_of_its_cases(app: Flask, client: FlaskClient, auth) -> None:
    other_site = second_site(app)
    auth.login("secretary")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    with app.app_context():
        case = db.session.scalar(select(Case))
        incident_id, case_id, code = case.incident_id, case.id, case.code
        make_user(role="secretary", username="lillby", site_id=other_site)
    auth.logout()
    client.post("/login", data={"username": "lillby", "secret": DEFAULT_PIN})
    for path in (
        location,
        location + "/history",
        f"/print/cases/{case_id}/referral.pdf",
        f"/catchup/cases/{case_id}",
        f"/incidents/{incident_id}",
        f"/catchup/incidents/{incident_id}/export/csv",
    ):
        assert client.get(path).status_code == 404, path
    scan = client.get("/scan", query_string={"code": code})
    assert scan.status_code == 404
    assert "Örjan" not in client.get("/board/").get_data(as_text=True)
    assert "Örjan" not in client.get("/drafts").get_data(as_text=True)
