"""Signatures made before the upgrade get where the images were read as the report said it at
the version they signed, so a preliminary report saved since without a signature goes out as
signed after the upgrade too."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from webapp.extensions import db
from webapp.startup import prepare

from .catchup_world_support import _shown
from .factories import exam_data, referral_data, report_data
from .printforms.conftest import pdf_text
from .test_migrations import CONTRAST_BATCH, HEAD, version_and_tables


def _new_case(client: FlaskClient, n: int) -> int:
    location = client.post("/cases/new", data=referral_data(key_suffix=str(n))).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(key_suffix=str(n))).status_code == 302
    return int(location.rsplit("/", 1)[-1])


def _sign(client: FlaskClient, case_id: int, action: str, read_on: str, key: str, **more) -> None:
    data = report_data(action, key * 20) | {"read_on": read_on} | more
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302


def _signature_rows(app: Flask) -> list[tuple[int, str, str]]:
    """Each signature's case, kind and where read, oldest first."""
    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT r.case_id, s.kind, s.read_on FROM report_signature s"
                " JOIN report r ON r.id = s.report_id ORDER BY s.id"
            )
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_signatures_get_where_read_as_signed_on_upgrade(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    saved_since, signed_twice, with_addendum = (_new_case(client, n) for n in range(3))
    auth.logout()
    auth.login("radiologist")
    # Signed read on the modality, saved since without a signature as read in PACS.
    _sign(client, saved_since, "preliminary", "modality", "a")
    _sign(client, saved_since, "save", "pacs", "b", **_shown(app, saved_since, "report"))
    _sign(client, signed_twice, "preliminary", "pacs", "c")
    shown = _shown(app, signed_twice, "report")
    _sign(client, signed_twice, "definitive", "modality", "d", **shown)
    _sign(client, with_addendum, "definitive", "modality", "e")
    added = {"text": "Oförändrat vid omgranskning."}
    assert client.post(f"/reporting/{with_addendum}/addendum", data=added).status_code == 302
    expected = [
        (saved_since, "preliminary", "modality"),
        (signed_twice, "preliminary", "pacs"),
        (signed_twice, "definitive", "modality"),
        (with_addendum, "definitive", "modality"),
        (with_addendum, "addendum", ""),
    ]
    assert _signature_rows(app) == expected

    with app.app_context():
        db.session.remove()
        downgrade(directory=app.extensions["migrate"].directory, revision=CONTRAST_BATCH)
        columns = {c["name"] for c in inspect(db.engine).get_columns("report_signature")}
        db.engine.dispose()
    assert "read_on" not in columns
    prepare(app)

    assert version_and_tables(app)[0] == HEAD
    assert _signature_rows(app) == expected
    sheet = " ".join(pdf_text(client.get(f"/print/cases/{saved_since}/report.pdf").data).split())
    assert "Eftergranskas i PACS" in sheet
