"""A site configuration may not drop a code that an open incident's cases still use."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Case, ExamRecord, Incident, Referral, Site, utcnow

from .factories import exam_data, referral_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")


def _errors(page: str) -> list[str]:
    found = re.findall(r'class="error"[^>]*>(.*?)</p>', page, re.S)
    return [html.unescape(re.sub("<[^>]+>", "", e)).strip() for e in found]


def _open_case(
    client: FlaskClient, auth, exam: dict[str, object] | None = None, **overrides: object
) -> None:
    """A case with its exam in a new incident."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(**overrides)).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(**(exam or {}))).status_code == 302
    auth.logout()


def _case_code(app: Flask) -> str:
    with app.app_context():
        return db.session.scalars(select(Case.code)).one()


@pytest.mark.parametrize(
    ("replaced", "typed", "named"),
    [
        ('code = "inom_timmar"', 'code = "inom_timmar_ny"', "prioriteten inom_timmar"),
        ('code = "CT"\nname = "Datortomografi"', 'code = "DT"\nname = "Datortomografi"',
         "modaliteten CT"),
        ('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 2"]', "rummet DT 1"),
        ("[scenarios.integration]", "[scenarios.integrationsmotorn]", "scenariot integration"),
    ],
)  # fmt: skip
def test_config_that_drops_a_code_used_by_an_open_incident_is_refused_naming_the_case(
    app: Flask, client: FlaskClient, auth, replaced: str, typed: str, named: str
) -> None:
    _open_case(client, auth, priority="inom_timmar")
    code = _case_code(app)
    auth.login("admin")
    # Exams of the dropped modality go too, so the rest of the config stays valid.
    text = EXAMPLE.replace(replaced, typed, 1).replace('modality = "CT"', 'modality = "CR"')
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 400
    message = " ".join(_errors(response.get_data(as_text=True)))
    assert named in message
    if not named.startswith("scenariot"):
        assert code in message
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_config_may_drop_a_priority_used_only_in_an_ended_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    _open_case(client, auth, priority="inom_timmar")
    with app.app_context():
        db.session.scalars(select(Incident)).one().ended_at = utcnow()
        db.session.commit()
    auth.login("admin")
    text = EXAMPLE.replace('code = "inom_timmar"', 'code = "inom_timmar_ny"', 1)
    assert client.post("/admin/site", data={"config_toml": text}).status_code == 302
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == text


def test_config_that_drops_an_exam_used_by_an_open_incident_is_refused_naming_the_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    _open_case(client, auth)
    code = _case_code(app)
    auth.login("admin")
    text = EXAMPLE.replace('code = "CT-HJ"', 'code = "CT-HJ-NY"', 1)
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 400
    message = " ".join(_errors(response.get_data(as_text=True)))
    assert "undersökningen CT-HJ" in message
    assert code in message
    assert 'code = "CT-HJ-NY"' in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_an_exam_code_not_in_the_catalogue_is_stored_as_free_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A tablet's page from before an exam was dropped still sends the dropped code.
    gone = {"exam_code": "CT-GAMMAL", "exam_text": "DT gammal undersökning"}
    _open_case(client, auth, exam=gone, **gone)
    with app.app_context():
        assert db.session.scalars(select(Referral.exam_code)).one() == ""
        assert db.session.scalars(select(ExamRecord.exam_code)).one() == ""
    auth.login("admin")
    edited = EXAMPLE.replace('fax = "0999-100 01"', 'fax = "0999-100 02"', 1)
    assert client.post("/admin/site", data={"config_toml": edited}).status_code == 302


def test_config_that_moves_a_used_room_to_another_modality_is_refused_naming_the_case(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The exam was documented in CT's room "DT 1": moved to MR, the room is still in the file,
    # but the case's exam form refuses "DT 1" for CT, so the exam could not be saved again.
    _open_case(client, auth)
    code = _case_code(app)
    auth.login("admin")
    text = EXAMPLE.replace('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 2"]', 1).replace(
        'rooms = ["MR 1"]', 'rooms = ["MR 1", "DT 1"]', 1
    )
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 400
    message = " ".join(_errors(response.get_data(as_text=True)))
    assert "rummet DT 1 (CT)" in message
    assert code in message
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


@pytest.mark.parametrize("documented", [True, False])
def test_config_that_moves_a_used_exam_to_another_modality_is_refused_naming_the_case(
    app: Flask, client: FlaskClient, auth, documented: bool
) -> None:
    # CT-HJ on a CT case, moved to MR: the exam form (and, before the exam, the referral form)
    # refuses "Modaliteten stämmer inte med vald undersökning", so neither could be saved again.
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    if documented:
        assert client.post(location + "/exam", data=exam_data()).status_code == 302
    auth.logout()
    code = _case_code(app)
    auth.login("admin")
    text = EXAMPLE.replace(
        'code = "CT-HJ"\nname = "DT hjärna utan kontrast"\nmodality = "CT"',
        'code = "CT-HJ"\nname = "DT hjärna utan kontrast"\nmodality = "MR"',
        1,
    )
    assert text != EXAMPLE
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 400
    message = " ".join(_errors(response.get_data(as_text=True)))
    assert "undersökningen CT-HJ (CT)" in message
    assert code in message
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE
