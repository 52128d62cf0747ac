"""A case whose priority or modality the site's configuration has since dropped shows the names
they had, not the bare codes, on the case page and in the catch-up."""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Incident
from webapp.models.base import utcnow

from .catchup_support import new_case
from .factories import declare_incident, incident_of

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
HOURS_BLOCK = (
    '[[priorities]]\ncode = "inom_timmar"\nlabel = "Inom timmar"\nrank = 2\n'
    "max_wait_minutes = 360\n\n"
)
# The modality CT renamed DT (its exams with it): the old code is gone, its name was
# "Datortomografi".
WITHOUT_CT = (
    EXAMPLE.replace(HOURS_BLOCK, "")
    .replace('code = "CT"\nname = "Datortomografi"', 'code = "DT"\nname = "Skiktröntgen"')
    .replace('modality = "CT"', 'modality = "DT"')
)


def _case(client: FlaskClient, auth) -> int:
    auth.login("radiographer")
    declare_incident(client)
    return new_case(client, auth, priority="inom_timmar", modality="CT")


def _case_of_an_ended_incident_whose_codes_are_gone(app: Flask, client: FlaskClient, auth) -> int:
    assert HOURS_BLOCK in EXAMPLE and 'code = "CT"\nname = "Datortomografi"' in EXAMPLE
    case_id = _case(client, auth)
    with app.app_context():
        # Only an ended incident's cases may keep a code the configuration drops.
        db.session.execute(
            update(Incident)
            .where(Incident.id == incident_of(app, case_id))
            .values(ended_at=utcnow())
        )
        db.session.commit()
    auth.login("admin")
    saved = client.post("/admin/site", data={"config_toml": WITHOUT_CT})
    assert saved.status_code == 302, saved.get_data(as_text=True)
    auth.logout()
    return case_id


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def test_the_case_page_names_a_dropped_priority_and_modality_as_they_were(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_of_an_ended_incident_whose_codes_are_gone(app, client, auth)
    auth.login("radiographer")
    page = _page(client, f"/cases/{case_id}")
    assert "<dt>Prioritet</dt><dd><strong>Inom timmar</strong></dd>" in page
    assert "<dt>Modalitet</dt><dd>Datortomografi</dd>" in page
    assert "inom_timmar" not in page


def test_the_catch_up_names_a_dropped_priority_as_it_was(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_of_an_ended_incident_whose_codes_are_gone(app, client, auth)
    auth.login("secretary")
    case_page = _page(client, f"/catchup/cases/{case_id}")
    batch = _page(client, f"/catchup/incidents/{incident_of(app, case_id)}")
    assert "Inom timmar" in case_page and "inom_timmar" not in case_page
    assert "· Inom timmar ·" in batch and "inom_timmar" not in batch


def test_a_code_kept_in_the_configuration_shows_its_name_of_now(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case(client, auth)
    auth.login("admin")
    renamed = EXAMPLE.replace('label = "Inom timmar"', 'label = "Inom några timmar"')
    assert client.post("/admin/site", data={"config_toml": renamed}).status_code == 302
    auth.logout()
    auth.login("radiographer")
    page = _page(client, f"/cases/{case_id}")
    assert "<dt>Prioritet</dt><dd><strong>Inom några timmar</strong></dd>" in page
