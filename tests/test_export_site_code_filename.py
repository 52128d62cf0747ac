"""A site's code is free text in its file: the export's file name carries it safely.

A code with a character outside Latin-1 (a dash pasted from a word processor, a Polish letter)
could not be sent in the download's header, so the file never reached the secretary; one with a
slash named a folder that does not exist, so the final batch could not be written at the close.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ExportBatch, Site
from webapp.startup import prepare

from .factories import DEFAULT_PIN, make_user, referral_data

CODE = "VGR – Norr/Łódź"


def _incident_at_a_site_coded(app: Flask, client: FlaskClient, code: str) -> int:
    sites = Path(app.config["DATA_DIR"]) / "sites"
    sites.mkdir()
    text = (Path(app.config["DATA_DIR"]) / "site.toml").read_text(encoding="utf-8")
    (sites / "norr.toml").write_text(text.replace('code = "EXS"', f'code = "{code}"'), "utf-8")
    prepare(app)
    with app.app_context():
        site_id = db.session.scalar(select(Site.id).where(Site.code == code))
        make_user(role="radiographer", username="rtg-norr", site_id=site_id)
        make_user(role="secretary", username="sek-norr", site_id=site_id)
    client.post("/login", data={"username": "rtg-norr", "secret": DEFAULT_PIN})
    incident = client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data())
    client.post("/logout")
    client.post("/login", data={"username": "sek-norr", "secret": DEFAULT_PIN})
    return int(incident.headers["Location"].rsplit("/", 1)[-1])


def test_the_download_header_can_be_sent_and_names_the_file_whole(
    app: Flask, client: FlaskClient
) -> None:
    incident_id = _incident_at_a_site_coded(app, client, CODE)
    for fmt in ("csv", "json", "fhir", "pdf"):
        response = client.get(f"/catchup/incidents/{incident_id}/export/{fmt}")
        assert response.status_code == 200
        header = response.headers["Content-Disposition"]
        header.encode("latin-1")  # what the server writes the header in
        assert header.startswith("attachment; filename=")
        name = unquote(header.split("filename*=UTF-8''", 1)[1])
        assert name.startswith("avstamning-VGR") and "Łódź" in name and "/" not in name


def test_the_file_name_holds_no_folder(app: Flask, client: FlaskClient) -> None:
    incident_id = _incident_at_a_site_coded(app, client, CODE)
    client.get(f"/catchup/incidents/{incident_id}/export/csv")
    with app.app_context():
        filename = db.session.scalar(select(ExportBatch.filename))
    assert filename is not None and "/" not in filename and "\\" not in filename
    assert Path(filename).name == filename


def test_an_ascii_site_code_keeps_the_plain_file_name(app: Flask, client: FlaskClient) -> None:
    incident_id = _incident_at_a_site_coded(app, client, "NRR")
    response = client.get(f"/catchup/incidents/{incident_id}/export/csv")
    header = response.headers["Content-Disposition"]
    assert header.startswith('attachment; filename="avstamning-NRR-') or header.startswith(
        "attachment; filename=avstamning-NRR-"
    )
    assert "filename*" not in header
