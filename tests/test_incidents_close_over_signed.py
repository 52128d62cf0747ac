"""A report blank joined over a signed report, with no addendum written since, does not let the
incident end unasked: after the end no addendum can be written here, and a blank that differs
from the signed report would be forgotten with it."""

from __future__ import annotations

import html
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.incidents.close_checks import (
    CloseConfirmations,
    ConfirmationMissing,
    check_confirmations,
)
from webapp.incidents.close_over_signed import over_signed_unread

from .catchup_support import (
    close_incident,
    incident_ended,
    listed_now,
    reconcile_world,
    reserve_blank,
)
from .catchup_world_support import world as world  # the fixture
from .factories import audit_events, case_code


def join_over_signed(app: Flask, client: FlaskClient, auth: Any, case_id: int) -> str:
    """A secretary joins a report blank to the (signed) case with the tick; its code, nobody
    logged in."""
    code = reserve_blank(app, client, auth, "BLU")
    auth.login("secretary")
    joined = client.post(
        f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id), "over_signed": "y"}
    )
    assert joined.status_code == 302, joined.get_data(as_text=True)
    auth.logout()
    return code


def write_addendum(client: FlaskClient, auth: Any, case_id: int) -> None:
    auth.logout()
    auth.login("radiologist")
    addendum = {"text": "Blanketten nämner även en liten pleuravätska."}
    assert client.post(f"/reporting/{case_id}/addendum", data=addendum).status_code == 302
    auth.logout()


def test_a_blank_joined_over_a_signed_report_is_asked_about_beside_its_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    code = join_over_signed(app, client, auth, case_id)
    reconcile_world(client, auth, world)
    page = html.unescape(close_incident(client, auth, world["incident_id"]))
    assert not incident_ended(app, world["incident_id"])
    error = page.split('id="confirm_over_signed-error"', 1)[1].split("</p>", 1)[0]
    assert case_code(app, case_id) in error and code in error
    assert "Örjan Älvström" in error and "19121212-1212" in error


def test_the_batch_page_names_the_case_and_its_blank_above_the_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    code = join_over_signed(app, client, auth, case_id)
    reconcile_world(client, auth, world)
    auth.login("admin")
    page = html.unescape(
        client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    )
    listed = page.split('id="over-signed-at-close"', 1)[1].split("</p>", 1)[0]
    assert case_code(app, case_id) in listed and code in listed
    assert 'name="confirm_over_signed"' in page


def test_with_the_box_ticked_the_incident_ends_and_the_audit_names_the_codes(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    code = join_over_signed(app, client, auth, case_id)
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"], confirm_over_signed="y")
    assert incident_ended(app, world["incident_id"])
    (end,) = audit_events(app, "incident_end")
    assert f"blankett över signerat utlåtande: {case_code(app, case_id)} ({code})" in end.detail


def test_an_addendum_written_after_the_join_asks_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    join_over_signed(app, client, auth, case_id)
    write_addendum(client, auth, case_id)
    reconcile_world(client, auth, world)
    page = close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"]), page


def test_an_addendum_written_before_the_join_does_not_settle_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    write_addendum(client, auth, case_id)
    code = join_over_signed(app, client, auth, case_id)
    with app.app_context():
        (unread,) = over_signed_unread(world["incident_id"])
    assert unread.case_id == case_id and unread.blank_codes == (code,)


def test_the_service_refuses_the_end_unasked(app: Flask, client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][0]
    code = join_over_signed(app, client, auth, case_id)
    with app.app_context():
        with pytest.raises(ConfirmationMissing) as refused:
            check_confirmations(
                world["incident_id"],
                CloseConfirmations(
                    unidentified=True, unfaxed=True, shown=listed_now(world["incident_id"])
                ),
            )
        assert refused.value.field == "confirm_over_signed"
        *_, over_signed, _unnotified = check_confirmations(
            world["incident_id"],
            CloseConfirmations(
                unidentified=True,
                unfaxed=True,
                over_signed=True,
                shown=listed_now(world["incident_id"]),
            ),
        )
    assert over_signed == [f"{case_code(app, case_id)} ({code})"]
