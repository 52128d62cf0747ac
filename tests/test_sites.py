"""Several sites on one instance: each user sees only their own site's cases."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Case, Site
from webapp.startup import prepare

from .factories import DEFAULT_PIN, make_user, referral_data


def _second_site(app: Flask) -> int:
    sites = Path(app.config["DATA_DIR"]) / "sites"
    sites.mkdir()
    text = (Path(app.config["DATA_DIR"]) / "site.toml").read_text(encoding="utf-8")
    (sites / "lillby.toml").write_text(
        text.replace('code = "EXS"', 'code = "LBY"').replace(
            'name = "Röntgen Exempelstad"', 'name = "Röntgen Lillby"', 1
        ),
        encoding="utf-8",
    )
    prepare(app)
    with app.app_context():
        return db.session.scalar(select(Site.id).where(Site.code == "LBY"))


def test_sites_directory_adds_sites(app: Flask) -> None:
    _second_site(app)
    with app.app_context():
        assert {s.code for s in db.session.scalars(select(Site))} == {"EXS", "LBY"}


def test_user_of_another_site_sees_none_of_its_cases(app: Flask, client: FlaskClient, auth) -> None:
    other_site = _second_site(app)
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
