"""A tick on the reviewer checklist lands in the log of the outage its page showed, also when
another outage was declared meanwhile on another tablet (the newest, which a tablet that chose
none works in)."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import IncidentLogEntry

from .factories import declare_incident, incident_of
from .routines_support import make_case
from .test_access_wall import login


def _tick_fields(page: str, key: str) -> dict[str, str]:
    """The hidden fields of the checklist's tick form for `key`, as the page drew them."""
    form = next(f for f in re.findall(r"<form.*?</form>", page, re.S) if f'value="{key}"' in f)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _ticked_in(app: Flask, key: str) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(IncidentLogEntry.incident_id).where(IncidentLogEntry.step_key == key)
            )
        )


def test_a_tick_from_a_page_drawn_before_another_outage_goes_to_the_outage_it_showed(
    app: Flask, client: FlaskClient, auth
) -> None:
    reviewer_outage = incident_of(app, make_case(client, auth))
    auth.login("radiographer", username="night-shift")
    page = client.get("/routines/reviewer").get_data(as_text=True)
    fields = _tick_fields(page, "admins_mailed")
    other = app.test_client()
    login(other, app, "secretary")
    ris_outage = declare_incident(other, "om_ris")
    assert ris_outage != reviewer_outage
    response = client.post("/routines/reviewer/steps", data=fields)
    assert response.status_code == 302
    assert _ticked_in(app, "admins_mailed") == [reviewer_outage]


def test_a_tick_for_an_outage_not_of_the_site_is_refused(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer", username="night-shift")
    fields = _tick_fields(client.get("/routines/reviewer").get_data(as_text=True), "admins_mailed")
    fields["incident_id"] = "999999"
    response = client.post("/routines/reviewer/steps", data=fields)
    assert response.status_code == 302
    assert _ticked_in(app, "admins_mailed") == []
    assert "Steget kunde inte sparas." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )


def _shown_outage(page: str) -> str:
    """The outage whose checklist the page draws, as its tick forms name it."""
    return _tick_fields(page, "admins_mailed")["incident_id"]


def test_a_tick_refused_as_stale_leads_back_to_the_outage_the_page_showed(
    app: Flask, client: FlaskClient, auth
) -> None:
    reviewer_outage = incident_of(app, make_case(client, auth))
    auth.login("radiographer", username="night-shift")
    page = client.get("/routines/reviewer").get_data(as_text=True)
    fields = _tick_fields(page, "admins_mailed")
    other = app.test_client()
    login(other, app, "secretary")
    assert declare_incident(other, "om_ris") != reviewer_outage
    # An item reworded since the page was drawn: its key is no longer the checklist's.
    response = client.post("/routines/reviewer/steps", data=fields | {"key": "rv-000000000000"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Checklistan har ändrats sedan sidan öppnades" in page
    assert _shown_outage(page) == str(reviewer_outage)
    assert _ticked_in(app, "admins_mailed") == []


def test_a_tick_leads_back_to_the_outage_it_was_logged_in(
    app: Flask, client: FlaskClient, auth
) -> None:
    reviewer_outage = incident_of(app, make_case(client, auth))
    auth.login("radiographer", username="night-shift")
    fields = _tick_fields(client.get("/routines/reviewer").get_data(as_text=True), "admins_mailed")
    other = app.test_client()
    login(other, app, "secretary")
    declare_incident(other, "om_ris")
    response = client.post("/routines/reviewer/steps", data=fields)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert _shown_outage(page) == str(reviewer_outage)


@pytest.mark.parametrize("asked", ["999999", "²", "1" * 30, "abc", ""])
def test_an_outage_asked_for_that_is_not_the_sites_shows_the_tablets_own(
    app: Flask, client: FlaskClient, auth, asked: str
) -> None:
    reviewer_outage = incident_of(app, make_case(client, auth))
    auth.login("radiographer", username="night-shift")
    response = client.get("/routines/reviewer", query_string={"incident": asked})
    assert response.status_code == 200
    assert _shown_outage(response.get_data(as_text=True)) == str(reviewer_outage)


def test_a_tick_with_an_unknown_state_keeps_the_item_done(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Read as "not 1", such a state once unticked a done item of the routine unasked.
    make_case(client, auth)
    auth.login("radiographer", username="night-shift")
    fields = _tick_fields(client.get("/routines/reviewer").get_data(as_text=True), "admins_mailed")
    assert client.post("/routines/reviewer/steps", data=fields).status_code == 302
    response = client.post("/routines/reviewer/steps", data=fields | {"is_done": "ja"})
    assert "Steget kunde inte sparas." in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    with app.app_context():
        states = list(
            db.session.scalars(
                select(IncidentLogEntry.is_done).where(IncidentLogEntry.step_key == "admins_mailed")
            )
        )
    assert states == [True]
