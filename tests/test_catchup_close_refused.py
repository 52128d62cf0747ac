"""A close refused for want of a ticked box says so beside that box, in the user's language, on
the batch page as it was (the box open, the other box as ticked), not in a flash at the top."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import incident_ended, new_case, tick_all, waive, with_page_lists
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, unidentified_referral_data


def _reconciled_unfaxed(client: FlaskClient, auth, world) -> None:
    """The world's cases keyed and checked, and waived and confirmed; no report faxed."""
    first, second = world["ids"]
    auth.logout()
    auth.login("secretary")
    tick_all(client, first)
    client.post(f"/catchup/cases/{second}/waive", data={"reason": "Remitterad vidare"})
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{first}/verify")
    client.post(f"/catchup/cases/{second}/waive/confirm")
    auth.logout()


def _unidentified(app: Flask, client: FlaskClient, auth) -> str:
    case_id = new_case(client, auth, **unidentified_referral_data(key_suffix="u"))
    waive(client, auth, case_id, reason="Registrerad direkt i RIS")
    return case_code(app, case_id)


def _close(client: FlaskClient, auth, incident_id: int, **confirm: str):
    auth.logout()
    auth.login("admin")
    return client.post(
        f"/catchup/incidents/{incident_id}/close",
        data=with_page_lists(client, incident_id, confirm),
    )


def _close_box(page: str) -> str:
    start = page.index('class="sign-confirm close-confirm"')
    return page[page.rindex("<details", 0, start) : page.index("</details>", start)]


def _error_of(box: str, field: str) -> str:
    marker = f'id="{field}-error"'
    assert marker in box, box
    return box.split(marker, 1)[1].split("</p>", 1)[0]


def test_an_unconfirmed_reserve_number_is_refused_beside_its_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    code = _unidentified(app, client, auth)
    _reconciled_unfaxed(client, auth, world)
    response = _close(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert response.status_code == 409
    box = _close_box(response.get_data(as_text=True))
    assert " open" in box.split(">", 1)[0]
    error = _error_of(box, "confirm_unidentified")
    assert "har fortfarande bara reservnummer" in error and code in error
    # The box ticked stays ticked; the one asked for is not ticked for the admin.
    unfaxed = box.split('name="confirm_unfaxed"', 1)[0].rsplit("<input", 1)[1]
    assert "checked" in unfaxed
    assert 'class="flash flash-error"' not in response.get_data(as_text=True).split("<main", 1)[0]
    assert not incident_ended(app, world["incident_id"])


def test_an_unconfirmed_unfaxed_report_is_refused_beside_its_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _reconciled_unfaxed(client, auth, world)
    response = _close(client, auth, world["incident_id"])
    assert response.status_code == 409
    error = _error_of(_close_box(response.get_data(as_text=True)), "confirm_unfaxed")
    assert "2 signerade svar är inte loggade som faxade till remittenten" in error
    assert world["codes"][0] in error and world["codes"][1] in error
    assert not incident_ended(app, world["incident_id"])
    _close(client, auth, world["incident_id"], confirm_unfaxed="y", confirm_unnotified="y")
    assert incident_ended(app, world["incident_id"])


def test_the_refusal_beside_the_box_is_in_english_when_english_is_chosen(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    code = _unidentified(app, client, auth)
    _reconciled_unfaxed(client, auth, world)
    auth.logout()
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    response = client.post(
        f"/catchup/incidents/{world['incident_id']}/close",
        data=with_page_lists(
            client, world["incident_id"], {"confirm_unfaxed": "y", "confirm_unnotified": "y"}
        ),
    )
    assert response.status_code == 409
    error = _error_of(_close_box(response.get_data(as_text=True)), "confirm_unidentified")
    assert "1 patient still has only a reserve number" in error and code in error
    assert "reservnummer i RIS" not in error
