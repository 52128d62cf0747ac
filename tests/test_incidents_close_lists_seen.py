"""A close box that confirms a list covers the items the page listed beside it, no others: an
item that came after the page was drawn (a transfer opened, a case cancelled with an unread
blank, ...) is refused beside its box, named alone, the other ticks kept. One listed and since
settled does not hold the close."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from webapp.extensions import db
from webapp.incidents.forms import CloseForm
from webapp.models import ReservedCode

from .catchup_support import (
    fax_to_referrer,
    incident_ended,
    new_case,
    reconcile_world,
    tick_all,
    waive,
    with_page_lists,
)
from .catchup_world_support import world as world  # the fixture
from .factories import case_code, hidden_value, local_minute, unidentified_referral_data
from .test_incidents_close_left_open import _cancelled_with_blank, _open_transfer
from .test_incidents_close_on_modality import _cancelled_on_modality, _waived_on_modality
from .test_incidents_close_over_signed import join_over_signed, write_addendum


def _drawn(client: FlaskClient, auth: Any, incident_id: int) -> str:
    """The batch page as the admin sees it."""
    auth.logout()
    auth.login("admin")
    page = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    auth.logout()
    return page


def _close(client: FlaskClient, auth: Any, incident_id: int, **sent: str) -> tuple[int, str]:
    auth.logout()
    auth.login("admin")
    sent.setdefault("confirm_unnotified", "y")
    response = client.post(
        f"/catchup/incidents/{incident_id}/close", data=with_page_lists(client, incident_id, sent)
    )
    return response.status_code, html.unescape(response.get_data(as_text=True))


def _error(page: str, box: str) -> str:
    marker = f'id="{box}-error"'
    assert marker in page, page
    return page.split(marker, 1)[1].split("</p>", 1)[0]


def _ticked(page: str, box: str) -> bool:
    return "checked" in page.split(f'name="{box}"', 1)[1].split(">", 1)[0] or (
        "checked" in page.split(f'name="{box}"', 1)[0].rsplit("<input", 1)[1]
    )


def test_the_page_writes_beside_each_listing_box_what_it_lists(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    number = _open_transfer(client, auth)
    _, blank = _cancelled_with_blank(app, client, auth)
    page = _drawn(client, auth, world["incident_id"])
    assert hidden_value(page, "open_transfers_shown") == str(number)
    assert hidden_value(page, "cancelled_blanks_shown") == blank
    assert hidden_value(page, "unfaxed_shown") == ""


def test_a_list_counts_only_with_its_box_ticked(app: Flask) -> None:
    sent = {"confirm_open_transfers": "y", "open_transfers_shown": "4 7", "unfaxed_shown": "3"}
    with app.test_request_context("/", method="POST"):
        confirmed = CloseForm(formdata=MultiDict(sent)).confirmations()
    assert confirmed.listed("confirm_open_transfers") == frozenset({"4", "7"})
    assert confirmed.listed("confirm_unfaxed") == frozenset()


def test_a_transfer_opened_after_the_page_was_drawn_is_refused_and_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    seen = _open_transfer(client, auth)
    shown = hidden_value(_drawn(client, auth, world["incident_id"]), "open_transfers_shown")
    # Opened on another tablet while the admin read the list.
    unseen = _open_transfer(client, auth, patient_name="Vera Senare")
    status, page = _close(
        client, auth, world["incident_id"], confirm_open_transfers="y", open_transfers_shown=shown
    )
    assert status == 409 and not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_open_transfers")
    assert "1 bildöverföring" in error and f"#{unseen} " in error and f"#{seen} " not in error
    # The other tick is kept; the page drawn again lists both.
    assert _ticked(page, "confirm_unnotified")
    assert hidden_value(page, "open_transfers_shown") == f"{seen} {unseen}"
    status, _ = _close(
        client,
        auth,
        world["incident_id"],
        confirm_open_transfers="y",
        open_transfers_shown=f"{seen} {unseen}",
    )
    assert status == 302 and incident_ended(app, world["incident_id"])


def test_a_listed_transfer_closed_meanwhile_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    first = _open_transfer(client, auth)
    _open_transfer(client, auth, patient_name="Vera Senare")
    shown = hidden_value(_drawn(client, auth, world["incident_id"]), "open_transfers_shown")
    auth.login("radiographer")
    ended = client.post(
        f"/routines/transfers/{first}/close",
        data={"close-status": "abandoned", "close-note": "Patienten åker"},
    )
    assert ended.status_code == 302
    status, page = _close(
        client, auth, world["incident_id"], confirm_open_transfers="y", open_transfers_shown=shown
    )
    assert status == 302 and incident_ended(app, world["incident_id"]), page


def test_a_case_cancelled_with_a_blank_after_the_page_was_drawn_is_refused_and_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    seen = _open_transfer(client, auth)
    page = _drawn(client, auth, world["incident_id"])
    assert hidden_value(page, "cancelled_blanks_shown") == ""
    transfers = hidden_value(page, "open_transfers_shown")
    case_id, blank = _cancelled_with_blank(app, client, auth)
    status, page = _close(
        client,
        auth,
        world["incident_id"],
        confirm_open_transfers="y",
        open_transfers_shown=transfers,
        confirm_cancelled_blanks="y",
        cancelled_blanks_shown="",
    )
    assert status == 409 and not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_cancelled_blanks")
    assert case_code(app, case_id) in error and blank in error
    assert _ticked(page, "confirm_open_transfers") and str(seen) in transfers


def test_a_listed_blank_detached_meanwhile_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id, blank = _cancelled_with_blank(app, client, auth)
    shown = hidden_value(_drawn(client, auth, world["incident_id"]), "cancelled_blanks_shown")
    assert shown == blank
    auth.login("secretary")
    detached = client.post(f"/cases/{case_id}/blanks/{blank}/detach", data={"reason": "Fel"})
    assert detached.status_code == 302, detached.get_data(as_text=True)
    status, page = _close(
        client, auth, world["incident_id"], confirm_cancelled_blanks="y", cancelled_blanks_shown=""
    )
    assert status == 302 and incident_ended(app, world["incident_id"]), page


def test_images_left_on_the_modality_after_the_page_was_drawn_are_refused_and_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    waived = _waived_on_modality(app, client, auth)
    shown = hidden_value(_drawn(client, auth, world["incident_id"]), "on_modality_shown")
    assert shown == str(waived)
    cancelled = _cancelled_on_modality(app, client, auth)
    status, page = _close(
        client, auth, world["incident_id"], confirm_on_modality="y", on_modality_shown=shown
    )
    assert status == 409 and not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_on_modality")
    assert case_code(app, cancelled) in error and case_code(app, waived) not in error


def test_images_listed_and_recorded_as_sent_meanwhile_do_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    waived = _waived_on_modality(app, client, auth)
    _cancelled_on_modality(app, client, auth)
    shown = hidden_value(_drawn(client, auth, world["incident_id"]), "on_modality_shown")
    auth.login("radiographer")
    sent = client.post(
        f"/cases/{waived}/pacs",
        data={"sent_at": local_minute(), "form_key": "images-sent-" + "m" * 12},
    )
    assert sent.status_code == 302, sent.get_data(as_text=True)
    status, page = _close(
        client, auth, world["incident_id"], confirm_on_modality="y", on_modality_shown=shown
    )
    assert status == 302 and incident_ended(app, world["incident_id"]), page


def test_a_blank_over_a_signed_report_not_listed_is_refused_and_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    seen = join_over_signed(app, client, auth, first)
    unseen = join_over_signed_again(app, client, auth, second)
    reconcile_world(client, auth, world)
    # The page listed the first case's blank alone: the second's was joined while it was read.
    status, page = _close(
        client, auth, world["incident_id"], confirm_over_signed="y", over_signed_shown=seen
    )
    assert status == 409 and not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_over_signed")
    assert f"{case_code(app, second)} (" in error and unseen in error
    assert case_code(app, first) not in error and seen not in error


def test_a_listed_blank_over_a_signed_report_settled_since_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    settled = join_over_signed(app, client, auth, first)
    write_addendum(client, auth, first)
    seen = join_over_signed_again(app, client, auth, second)
    reconcile_world(client, auth, world)
    status, page = _close(
        client,
        auth,
        world["incident_id"],
        confirm_over_signed="y",
        over_signed_shown=f"{seen} {settled}",
    )
    assert status == 302 and incident_ended(app, world["incident_id"]), page


def join_over_signed_again(app: Flask, client: FlaskClient, auth: Any, case_id: int) -> str:
    """A second report blank joined over the signed report (reserve_blank reads the first
    code reserved, so this one is read as the last)."""
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code).order_by(ReservedCode.id.desc()))
    assert code is not None
    auth.logout()
    auth.login("secretary")
    joined = client.post(
        f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id), "over_signed": "y"}
    )
    assert joined.status_code == 302, joined.get_data(as_text=True)
    auth.logout()
    return code


def _reconciled_unfaxed(client: FlaskClient, auth: Any, world: dict[str, Any]) -> None:
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


def test_an_unfaxed_report_not_listed_is_refused_and_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    _reconciled_unfaxed(client, auth, world)
    assert hidden_value(_drawn(client, auth, world["incident_id"]), "unfaxed_shown") == (
        f"{first} {second}"
    )
    status, page = _close(
        client, auth, world["incident_id"], confirm_unfaxed="y", unfaxed_shown=str(first)
    )
    assert status == 409 and not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_unfaxed")
    assert world["codes"][1] in error and world["codes"][0] not in error


def test_a_listed_report_faxed_meanwhile_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    first, second = world["ids"]
    _reconciled_unfaxed(client, auth, world)
    auth.login("secretary")
    fax_to_referrer(client, first)
    status, page = _close(
        client, auth, world["incident_id"], confirm_unfaxed="y", unfaxed_shown=f"{first} {second}"
    )
    assert status == 302 and incident_ended(app, world["incident_id"]), page


def test_a_reserve_number_not_listed_is_refused_and_named(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    codes = []
    for suffix in ("u", "v"):
        case_id = new_case(client, auth, **unidentified_referral_data(key_suffix=suffix))
        waive(client, auth, case_id, reason="Registrerad direkt i RIS")
        codes.append(case_code(app, case_id))
    reconcile_world(client, auth, world)
    shown = hidden_value(_drawn(client, auth, world["incident_id"]), "unidentified_shown")
    assert shown == " ".join(codes)
    status, page = _close(
        client, auth, world["incident_id"], confirm_unidentified="y", unidentified_shown=codes[0]
    )
    assert status == 409 and not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_unidentified")
    assert "1 patient har fortfarande bara reservnummer" in error
    assert codes[1] in error and codes[0] not in error
    status, page = _close(
        client, auth, world["incident_id"], confirm_unidentified="y", unidentified_shown=shown
    )
    assert status == 302 and incident_ended(app, world["incident_id"]), page


def test_a_ticked_box_that_sends_no_list_covers_nothing(app: Flask) -> None:
    with app.test_request_context("/", method="POST"):
        confirmed = CloseForm(formdata=MultiDict({"confirm_unfaxed": "y"})).confirmations()
    assert confirmed.unfaxed and confirmed.listed("confirm_unfaxed") == frozenset()


def test_a_tick_sent_without_its_list_is_refused_naming_what_was_found(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A form not drawn by the close page (crafted, or an older page): its tick saw nothing.
    reconcile_world(client, auth, world)
    number = _open_transfer(client, auth)
    auth.login("admin")
    sent = with_page_lists(client, world["incident_id"], {"confirm_unnotified": "y"})
    sent["confirm_open_transfers"] = "y"
    response = client.post(f"/catchup/incidents/{world['incident_id']}/close", data=sent)
    status, page = response.status_code, html.unescape(response.get_data(as_text=True))
    assert status == 409 and not incident_ended(app, world["incident_id"])
    assert f"#{number} " in _error(page, "confirm_open_transfers")
    assert hidden_value(page, "open_transfers_shown") == str(number)
