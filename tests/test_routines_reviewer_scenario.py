"""The external reviewer scenario page: who calls whom, the prefilled admin message and its
checklist, the image routes and the status the admin sets on them."""

from __future__ import annotations

import html
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.checklist_keys import text_key
from webapp.extensions import db
from webapp.models import IncidentLogEntry, RouteStatus

from .factories import case_code
from .reviewer_support import _entries, _fax_to_the_reviewer
from .routines_support import make_case


def test_scenario_page_shows_who_calls_whom_and_a_prefilled_admin_message(
    client: FlaskClient, auth, app: Flask
) -> None:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    page = client.get("/routines/reviewer").get_data(as_text=True)
    assert "Vem ringer vem" in page
    assert "granskaren ringer remittenten direkt" in page
    assert "mailto:rispacs%40exempel.invalid?subject=" in page
    mailto = unquote(page.split('href="mailto:rispacs')[1].split('"')[0])
    assert case_code(app, case_id) in mailto
    assert "Örjan" not in mailto and "19121212" not in mailto


def test_ticking_the_admin_message_is_logged_in_the_incident(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    client.post("/routines/reviewer/steps", data={"key": "admins_mailed", "is_done": "1"})
    first = "reviewer:" + text_key("Extern granskare kontaktad")
    client.post("/routines/reviewer/steps", data={"key": first, "is_done": "1"})
    with app.app_context():
        keys = [e.step_key for e in db.session.scalars(select(IncidentLogEntry))]
    assert keys == ["admins_mailed", first]


def test_unknown_checklist_key_is_not_logged(app: Flask, client: FlaskClient, auth) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    client.post("/routines/reviewer/steps", data={"key": "nonsense", "is_done": "1"})
    with app.app_context():
        assert db.session.scalar(select(IncidentLogEntry)) is None


def test_image_route_outcome_is_logged(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        f"/routines/reviewer/cases/{case_id}/route",
        data={"route-route_key": "teleradiology", "route-outcome": "failed"},
    )
    assert _entries(app) == [("image_route", "", "Teleradiologidestination i PACS")]


def test_admin_marks_a_route_not_working_and_staff_see_the_note(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("admin")
    missing = client.post("/routines/reviewer/routes/postprocessing", data={"is_working": "0"})
    assert missing.status_code == 400
    assert "Skriv varför vägen inte fungerar." in missing.get_data(as_text=True)
    client.post(
        "/routines/reviewer/routes/postprocessing",
        data={"is_working": "0", "note": "Går inte till granskaren sedan maj."},
    )
    with app.app_context():
        status = db.session.scalar(select(RouteStatus))
        assert (status.route_key, status.is_working) == ("postprocessing", False)
    auth.logout()
    auth.login("radiographer")
    page = client.get(f"/routines/reviewer/cases/{case_id}").get_data(as_text=True)
    assert "fungerar inte: Går inte till granskaren sedan maj." in page


def test_only_admin_sets_route_status(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    response = client.post("/routines/reviewer/routes/modality", data={"is_working": "1"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        "Ärenden: {codes} (se {RIS-loggen",
        "{count:d} ärenden den {date}",
        "Ärende {0}: {codes}",
        "Mall: {site.__class__}",
    ],
)
def test_an_admin_message_with_odd_braces_still_shows_the_scenario_page(
    client: FlaskClient, auth, body: str
) -> None:
    from webapp.config import EXAMPLE_SITE

    auth.login("admin")
    text = EXAMPLE_SITE.read_text(encoding="utf-8")
    start = text.index('admin_body = """')
    end = text.index('"""', start + len('admin_body = """')) + 3
    saved = client.post(
        "/admin/site", data={"config_toml": text[:start] + f"admin_body = {body!r}" + text[end:]}
    )
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    auth.logout()
    make_case(client, auth)
    auth.login("radiographer")
    response = client.get("/routines/reviewer")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # The known fields are filled in; anything else is left as the admin wrote it.
    assert "{codes}" not in page and "{date}" not in page
    assert "class 'str'" not in html.unescape(page) and "class%20%27str" not in page
