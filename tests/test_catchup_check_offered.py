"""The check against the paper is offered only to whom the server lets check: the secretary who
keyed the case sees it disabled with the reason beside it (four eyes), never a button refused."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.verifying import OWN_KEYING_NOTE
from webapp.extensions import db
from webapp.models import Site
from webapp.sites import save_site_config

from .catchup_support import save_accession, tick_all
from .catchup_world_support import _status
from .catchup_world_support import world as world  # the fixture

CHECK = "Jag har kontrollerat RIS mot papperet"
REASON = "Du förde in ärendet – en annan sekreterare kontrollerar det."


def _page(client: FlaskClient, case_id: int) -> str:
    return client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)


def _check_control(page: str) -> str:
    """The check's button as drawn."""
    found = re.search(r"<button[^>]*>\s*" + CHECK, page)
    assert found is not None, "no check drawn"
    return found.group(0)


def test_the_keyer_sees_the_check_disabled_with_the_reason_beside_it(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    page = _page(client, case_id)
    button = _check_control(page)
    assert "disabled" in button and 'aria-describedby="verify-own-keying"' in button
    assert f'id="verify-own-keying">{REASON}' in page
    assert REASON == OWN_KEYING_NOTE
    # Nothing that would be refused is offered, and the disabled control takes no focus.
    assert f'action="/catchup/cases/{case_id}/verify"' not in page
    assert "autofocus" not in button


def test_the_keyer_back_from_the_last_tick_is_focused_on_the_next_paper(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    page = client.get(f"/catchup/cases/{case_id}?focus=next").get_data(as_text=True)
    assert re.search(r'id="scan-next"[^>]*autofocus', page)
    assert "autofocus" not in _check_control(page)


def test_whoever_saved_the_ris_numbers_sees_the_check_disabled(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    save_accession(client, case_id, "ACC-NEW-2")
    assert "disabled" in _check_control(_page(client, case_id))


def test_a_forged_check_by_the_keyer_is_still_refused(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    response = client.post(f"/catchup/cases/{case_id}/verify")
    assert response.status_code == 409
    assert _status(app, case_id) == "keyed_in_ris"


def test_another_secretary_is_offered_the_check(client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = _page(client, case_id)
    assert "disabled" not in _check_control(page) and REASON not in page
    assert f'action="/catchup/cases/{case_id}/verify"' in page


def test_an_admin_who_keyed_nothing_is_offered_the_check(client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("admin")
    page = _page(client, case_id)
    assert "disabled" not in _check_control(page) and REASON not in page


def test_without_four_eyes_the_keyer_is_offered_the_check(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    with app.app_context():
        site = db.session.get(Site, 1)
        toml = site.config_toml.replace("four_eyes = true", "four_eyes = false")
        save_site_config(site.id, toml, None)
    page = _page(client, case_id)
    assert "disabled" not in _check_control(page) and REASON not in page
