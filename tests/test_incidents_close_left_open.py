"""Nothing left outstanding unasked at an outage's close: an image transfer still open, and a
blank joined to a case since cancelled whose content was never typed in. Neither blocks the
end (a transfer is still worked after it; a cancelled case waits for nothing), but the admin is
shown each with its patient and a link, and confirms it; the audit row names what was
confirmed."""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import AuditEvent

from .catchup_support import (
    close_incident,
    incident_ended,
    new_case,
    reconcile_world,
    reserve_blank,
    with_page_lists,
)
from .catchup_world_support import world as world  # the fixture
from .factories import audit_events, case_code, exam_data, hidden_value
from .routines_support import transfer_data


def _open_transfer(client: FlaskClient, auth: Any, **overrides: str) -> int:
    """A radiographer starts an image transfer; its number, nobody logged in."""
    auth.logout()
    auth.login("radiographer")
    response = client.post("/routines/transfers/new", data=transfer_data(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    auth.logout()
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def _error(page: str, field: str) -> str:
    return html.unescape(page).split(f'id="{field}-error"', 1)[1].split("</p>", 1)[0]


def test_an_open_transfer_is_asked_about_by_number_and_patient_beside_its_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = world["codes"][0]
    number = _open_transfer(client, auth, case_code=code, patient_ref="", patient_name="")
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_open_transfers")
    assert f"#{number} skickas till Grannby universitetssjukhus" in error
    assert f"{code} (Örjan Älvström, 19121212-1212)" in error


def test_a_transfer_with_no_case_names_its_typed_patient(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    number = _open_transfer(client, auth)
    page = close_incident(client, auth, world["incident_id"])
    error = _error(page, "confirm_open_transfers")
    assert f"#{number} " in error and "Tolvan Tolvansson, 19121212-1212" in error


def test_the_batch_page_lists_each_open_transfer_linked_and_logs_the_read(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    number = _open_transfer(client, auth)
    auth.login("admin")
    page = html.unescape(
        client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    )
    listed = page.split('id="open-transfers-at-close"', 1)[1].split("</ul>", 1)[0]
    assert f'href="/routines/transfers/{number}"' in listed
    assert "Tolvan Tolvansson" in listed and "19121212-1212" in listed
    assert 'name="confirm_open_transfers"' in page
    # The typed patient has no case: the read is in that patient's own column.
    with app.app_context():
        rows = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.action == "transfer_list_view",
                AuditEvent.patient_ref == "19121212-1212",
            )
        ).all()
    assert rows


def test_with_the_transfer_confirmed_the_incident_ends_and_the_audit_names_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    code = world["codes"][0]
    number = _open_transfer(client, auth, case_code=code, patient_ref="", patient_name="")
    close_incident(client, auth, world["incident_id"], confirm_open_transfers="y")
    assert incident_ended(app, world["incident_id"])
    (end,) = audit_events(app, "incident_end")
    assert f"bildöverföringar pågår: #{number} ({code})" in end.detail


def test_a_transfer_closed_before_the_close_asks_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    number = _open_transfer(client, auth)
    auth.login("radiographer")
    ended = client.post(
        f"/routines/transfers/{number}/close",
        data={"close-status": "abandoned", "close-note": "Patienten åker"},
    )
    assert ended.status_code == 302
    page = close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"]), page


def _cancelled_with_blank(
    app: Flask, client: FlaskClient, auth: Any, *, exam: bool = False
) -> tuple[int, str]:
    """A case with a documentation blank joined (its exam typed in or not), then cancelled;
    the case and the blank's code, nobody logged in."""
    code = reserve_blank(app, client, auth, "BLD")
    case_id = new_case(client, auth, key_suffix="x", patient_name="Carl Makulerad")
    auth.login("secretary")
    joined = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
    assert joined.status_code == 302, joined.get_data(as_text=True)
    auth.logout()
    auth.login("radiographer")
    if exam:
        # Images not in PACS: a cancel with them there waits for its clean-up in PACS.
        documented = exam_data(key_suffix="x", pacs_status="no", pacs_sent_at="")
        typed = client.post(f"/cases/{case_id}/exam", data=documented)
        assert typed.status_code == 302, typed.get_data(as_text=True)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    cancel = {"reason": "Dubblett av en annan remiss", "form_key": hidden_value(page, "form_key")}
    assert client.post(f"/cases/{case_id}/cancel", data=cancel).status_code == 302
    auth.logout()
    return case_id, code


def test_a_cancelled_case_with_a_blank_not_typed_in_is_asked_about_beside_its_box(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id, code = _cancelled_with_blank(app, client, auth)
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    error = _error(page, "confirm_cancelled_blanks")
    assert f"{case_code(app, case_id)} (Carl Makulerad, " in error and code in error
    listed = html.unescape(page).split('id="cancelled-blanks-at-close"', 1)[1].split("</ul>")[0]
    assert f'href="/cases/{case_id}#blanks"' in listed and "Carl Makulerad" in listed


def test_the_cancelled_case_confirmed_the_incident_ends_and_the_audit_names_its_blank(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id, code = _cancelled_with_blank(app, client, auth)
    close_incident(client, auth, world["incident_id"], confirm_cancelled_blanks="y")
    assert incident_ended(app, world["incident_id"])
    (end,) = audit_events(app, "incident_end")
    assert f"blanketter på makulerade ärenden: {case_code(app, case_id)} ({code})" in end.detail


def test_a_blank_typed_in_before_the_cancel_asks_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    _cancelled_with_blank(app, client, auth, exam=True)
    page = close_incident(client, auth, world["incident_id"], confirm_on_modality="y")
    assert incident_ended(app, world["incident_id"]), page


def test_a_blank_detached_from_the_cancelled_case_asks_nothing(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id, code = _cancelled_with_blank(app, client, auth)
    auth.login("secretary")
    detached = client.post(f"/cases/{case_id}/blanks/{code}/detach", data={"reason": "Fel ärende"})
    assert detached.status_code == 302, detached.get_data(as_text=True)
    auth.logout()
    page = close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"]), page


def test_an_english_admin_is_asked_about_the_transfer_in_english(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    number = _open_transfer(client, auth)
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    data = with_page_lists(client, world["incident_id"], {"confirm_unnotified": "y"})
    response = client.post(f"/catchup/incidents/{world['incident_id']}/close", data=data)
    error = _error(response.get_data(as_text=True), "confirm_open_transfers")
    assert "1 image transfer to or from another region is still in progress" in error
    assert f"#{number} sent to Grannby universitetssjukhus" in error
    assert "pågår" not in error and "skickas" not in error


def test_the_transfers_are_read_only_where_the_close_form_shows_them(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # Cases still outstanding: the close form is not drawn, nor to a secretary at any time.
    _open_transfer(client, auth)
    for role in ("secretary", "admin"):
        auth.login(role)
        assert client.get(f"/catchup/incidents/{world['incident_id']}").status_code == 200
        auth.logout()
    assert not audit_events(app, "transfer_list_view")
