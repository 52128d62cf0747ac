"""A lift of a waiver carries the page it came from: one from a page older than the waiver's
state (confirmed since, or lifted and made again) is refused beside its button, not taken."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_world_support import _record, _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import referral_data
from .test_catchup_double_tap import form_fields

REASON = "Registrerad direkt i RIS av röntgen"
STALE = "Undantaget är inte hävt"


@pytest.fixture
def sek2(user_factory) -> Any:
    return user_factory(role="secretary", username="sek2", display_name="Sixten Andersson")


def _as(auth, username: str) -> None:
    auth.logout()
    auth.login("secretary", username=username)


def _lift_form(client: FlaskClient, case_id: int) -> dict[str, str]:
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    return form_fields(page, f"/catchup/cases/{case_id}/waive/lift")


def _waive(client: FlaskClient, case_id: int, reason: str = REASON) -> None:
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": reason})
    assert response.status_code == 302


def _lift_box(page: str) -> str:
    start = page.index('id="lift-waiver"')
    return page[page.rindex("<details", 0, start) : page.index("</details>", start)]


def test_a_lift_from_a_page_shown_before_the_waiver_was_confirmed_is_refused_beside_it(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waive(client, case_id)
    stale = _lift_form(client, case_id)
    assert stale.get("waived_shown")
    _as(auth, "sek2")
    assert client.post(f"/catchup/cases/{case_id}/waive/confirm").status_code == 302
    _as(auth, "test-secretary")
    response = client.post(f"/catchup/cases/{case_id}/waive/lift", data=stale)
    assert response.status_code == 409
    box = _lift_box(response.get_data(as_text=True))
    assert " open" in box.split(">", 1)[0]
    assert STALE in box
    record = _record(app, case_id)
    assert record.waived_at is not None and record.waiver_confirmed_at is not None
    assert _status(app, case_id) == "closed"
    # From the page as it is now, the lift is taken.
    fresh = form_fields(box, f"/catchup/cases/{case_id}/waive/lift")
    assert client.post(f"/catchup/cases/{case_id}/waive/lift", data=fresh).status_code == 302
    assert _record(app, case_id).waived_at is None


def test_a_lift_from_a_page_shown_before_the_waiver_was_made_again_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]
    _waive(client, case_id)
    stale = _lift_form(client, case_id)
    assert client.post(f"/catchup/cases/{case_id}/waive/lift").status_code == 302
    _waive(client, case_id, "Patienten remitterades vidare")
    response = client.post(f"/catchup/cases/{case_id}/waive/lift", data=stale)
    assert response.status_code == 409
    assert STALE in _lift_box(response.get_data(as_text=True))
    assert _record(app, case_id).waive_reason == "Patienten remitterades vidare"


def test_a_lift_from_a_page_shown_before_the_case_changed_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    _waive(client, case_id)
    stale = _lift_form(client, case_id)
    assert stale.get("shown")
    auth.logout()
    auth.login("radiographer")
    edit = referral_data(key_suffix="e", clinical_question="Blödning? Kompletterad.")
    edit |= _shown(app, case_id, "referral")
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302
    _as(auth, "test-secretary")
    response = client.post(f"/catchup/cases/{case_id}/waive/lift", data=stale)
    assert response.status_code == 409
    assert STALE in _lift_box(response.get_data(as_text=True))
    assert _record(app, case_id).waived_at is not None


def test_a_lift_from_a_page_as_it_is_now_is_taken(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]
    _waive(client, case_id)
    response = client.post(f"/catchup/cases/{case_id}/waive/lift", data=_lift_form(client, case_id))
    assert response.status_code == 302
    assert _record(app, case_id).waived_at is None
