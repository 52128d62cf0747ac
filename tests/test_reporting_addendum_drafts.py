"""An addendum typed to a definitive report autosaves as a draft: offered after a reload and on
another tablet, finished when signed, and holding the incident's close while open."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.close_drafts import unsent_drafts
from webapp.models import Addendum, Case, Draft

from .factories import hidden_value
from .routines_support import make_case

KEY = "addendum-" + "a" * 20
TEXT = "Vid förnyad granskning ses även en liten fraktur i femte revbenet höger."


def _put_draft(client: FlaskClient, case_id: int, key: str = KEY) -> None:
    """What static/js/drafts.js sends from the addendum form while the text is typed."""
    response = client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "addendum",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": key, "text": TEXT, "is_urgent": ""},
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def _incident_id(app: Flask, case_id: int) -> int:
    with app.app_context():
        return int(db.session.get(Case, case_id).incident_id)


def test_the_addendum_form_autosaves_as_a_draft(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    form = page[page.index('id="addendum"') :]
    assert 'data-draft-kind="addendum"' in form
    assert f'data-case-id="{case_id}"' in form
    assert 'class="draft-status' in form


def test_a_typed_addendum_is_offered_and_continued_on_another_tablet(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    _put_draft(client, case_id)
    auth.logout()
    auth.login("radiologist", username="other-radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Osparad ändring från" in page
    link = f"/reporting/{case_id}/addendum?draft={KEY}"
    assert link in page
    page = client.get(link).get_data(as_text=True)
    assert TEXT in page
    assert hidden_value(page, "form_key") == KEY
    assert "Osparad ändring från" not in page  # the draft shown is not offered again


def test_the_drafts_list_continues_an_addendum(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    _put_draft(client, case_id)
    page = client.get("/drafts").get_data(as_text=True)
    assert "Tillägg" in page
    assert f"/reporting/{case_id}/addendum?draft={KEY}" in page


def test_a_typed_addendum_holds_the_close_until_signed(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    incident_id = _incident_id(app, case_id)
    auth.login("radiologist")
    _put_draft(client, case_id)
    with app.app_context():
        names = [d.name for d in unsent_drafts(incident_id)]
    assert len(names) == 1 and names[0].startswith("Tillägg ")
    response = client.post(f"/reporting/{case_id}/addendum", data={"form_key": KEY, "text": TEXT})
    assert response.status_code == 302
    with app.app_context():
        assert unsent_drafts(incident_id) == []
        assert db.session.scalar(select(Draft.is_done)) is True
        assert db.session.scalar(select(Addendum.text)) == TEXT


def test_a_reload_of_the_screen_continues_the_addendum_typed(client: FlaskClient, auth) -> None:
    """drafts.js keeps the key in ?draft= of the screen's own address: on a locked report it is
    the addendum's, never taken for the report's text."""
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    _put_draft(client, case_id)
    page = client.get(f"/reporting/{case_id}?draft={KEY}").get_data(as_text=True)
    assert "Din text – inte sparad" not in page
    assert TEXT in page[page.index('id="addendum"') :]
    assert hidden_value(page, "form_key") == KEY
