"""Every form that changes data, sent twice as a double tap or a Wi-Fi retry sends it (the page's
own form, the same content, right after the first succeeded), is one act: one audit event, and
the second answer is a success or a calm no-op, never a red refusal."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.auth.lockout import account_key, address_key
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Draft,
    FailedLogin,
    ReservedCode,
    ReviewerExchange,
    ReviewerLogEntry,
    Site,
    utcnow,
)

from .catchup_support import new_case, save_accession
from .factories import (
    DEFAULT_PIN,
    case_code,
    declare_incident,
    exam_data,
    make_user,
    referral_data,
    report_data,
)
from .routines_support import make_case, receive_reviewer_report, release_data, transfer_data


@dataclass(frozen=True)
class Tap:
    """Where the form is shown, where it posts, what is typed into it, what one act logs."""

    page: str
    action: str
    audit: str
    typed: dict[str, str] = field(default_factory=dict)
    marker: str = ""
    # Some forms are shown as the answer of a search (a POST) rather than a page of their own.
    page_data: dict[str, str] | None = None


def form_fields(page: str, action: str, marker: str = "") -> dict[str, str]:
    """The inputs of the form posting to `action` (holding `marker`), as a browser sends them."""
    forms = (
        re.findall(
            rf'<form[^>]*action="{re.escape(action)}(?:[#?][^"]*)?"[^>]*>(.*?)</form>', page, re.S
        )
        # A second button of a form posting elsewhere (a preview's confirm).
        or re.findall(
            rf'<form[^>]*>((?:(?!</form>).)*formaction="{re.escape(action)}".*?)</form>', page, re.S
        )
        or re.findall(r'<form method="post"(?![^>]*action=)[^>]*>(.*?)</form>', page, re.S)
    )
    chosen = [f for f in forms if marker in f]
    assert chosen, f"no form posting to {action} holding {marker!r}"
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", chosen[0]):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag and 'type="radio"' not in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


def _incident(client: FlaskClient, auth: Any) -> int:
    auth.login("radiographer")
    return declare_incident(client)


def note(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    incident = _incident(client, auth)
    url = f"/incidents/{incident}"
    return Tap(url, url + "/notes", "incident_step", {"note": "IT räknar med 14:00"})


def step(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    incident = _incident(client, auth)
    url = f"/incidents/{incident}"
    return Tap(url, url + "/steps", "incident_step")


def restored(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    incident = _incident(client, auth)
    url = f"/incidents/{incident}"
    return Tap(url, url + "/restored", "incident_restored", marker='value="1"')


def scenario(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    incident = _incident(client, auth)
    url = f"/incidents/{incident}"
    return Tap(url, url + "/scenario", "incident_scenario", {"scenario": "pacs"})


def deviation(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    incident = _incident(client, auth)
    auth.login("secretary")
    url = f"/incidents/{incident}/followup"
    return Tap(url, url + "/deviation", "incident_deviation", {"deviation_number": "AV-2026-1234"})


def reviewer_step(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    return Tap("/routines/reviewer", "/routines/reviewer/steps", "incident_step")


def transfer_check(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    return Tap(url, url + "/checks", "transfer_check")


def catchup_step(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("secretary")
    save_accession(client, case_id)
    url = f"/catchup/cases/{case_id}"
    # Booked with the accession: its undo beside the step is the form that changes something.
    return Tap(url, url + "/steps", "catchup_step", marker='id="undo-booked"')


def images_sent(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("radiographer")
    exam = exam_data(pacs_status="failed", pacs_sent_at="")
    assert client.post(f"/cases/{case_id}/exam", data=exam).status_code == 302
    url = f"/cases/{case_id}"
    return Tap(url, url + "/pacs", "exam_pacs_sent")


def second_look(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("radiographer")
    assert client.post(f"/cases/{case_id}/exam", data=exam_data()).status_code == 302
    auth.logout()
    auth.login("radiologist")
    url = f"/reporting/{case_id}"
    signed = report_data("definitive", "d" * 20) | {"read_on": "modality"}
    assert client.post(url, data=signed).status_code == 302
    return Tap(url, url + "/second-look", "report_second_look", {"outcome": "no_change"})


def void(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    return Tap("/blanks/", f"/blanks/{code}/void", "blank_void", {"reason": "Kaffe på bladet"})


def attach(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    url = f"/blanks/{code}/attach"
    typed = {"typed": case_code(app, case_id)}
    return Tap(url, url + "/confirm", "blank_attach", page_data=typed)


def detach_blank(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
    url = f"/cases/{case_id}"
    return Tap(url, f"{url}/blanks/{code}/detach", "blank_detach", {"reason": "Fel ärende"})


def blank_read_same(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/exam", data=exam_data())
    auth.logout()
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=report_data("definitive", "d" * 20))
    auth.logout()
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    data = {"case_id": str(case_id), "over_signed": "y"}
    client.post(f"/blanks/{code}/attach/confirm", data=data)
    auth.logout()
    auth.login("radiologist")
    url = f"/cases/{case_id}"
    return Tap(url, f"{url}/blanks/{code}/read-same", "blank_read_same")


def priority(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("radiologist")
    url = f"/reporting/{case_id}"
    return Tap(url, url + "/priority", "priority_change", {"priority": "rutin", "reason": "Stabil"})


def protocol(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("radiologist")
    url = f"/reporting/{case_id}"
    return Tap(url, url + "/protocol", "protocol_change", {"protocol": "Ring mig före start"})


def route_status(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    url = "/routines/reviewer/routes/modality"
    return Tap(url, url, "route_status", {"is_working": "0", "note": "Nätverket nere"})


# Done once already by their own pattern: kept here so the sweep stays whole.
def declare(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("radiographer")
    return Tap("/incidents/new", "/incidents/new", "incident_declare", {"scenario": "integration"})


def reserve(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    return Tap("/blanks/", "/blanks/reserve", "blank_reserve", {"doc_kind": "BLR", "count": "2"})


def ris_ids(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("secretary")
    url = f"/catchup/cases/{case_id}"
    return Tap(url, url + "/ris", "ris_ids", {"ris_accession": "EXS00000042"})


def discard(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    client.put(
        "/api/drafts/k" + "d" * 23,
        json={"kind": "referral", "seq": 1, "label": "Åsa", "data": {"patient_name": "Åsa"}},
    )
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    return Tap("/drafts", f"/drafts/{draft_id}/discard", "draft_discard")


def close(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    incident = _incident(client, auth)
    auth.login("admin")
    url = f"/catchup/incidents/{incident}"
    return Tap(url, url + "/close", "incident_end", {"confirm_unnotified": "y"})


def create_user(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    typed = {"display_name": "Ny Person", "username": "ny", "role": "secretary", "kind": "pin"}
    return Tap("/admin/users", "/admin/users", "user_create", typed | {"secret": "583920"})


# One person: one act is one user_create.
STAFF = "Åsa Öberg;ssk"


def create_users(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    typed = {"staff": STAFF}
    # The confirm is offered on the preview, the answer of the pasted list's POST.
    return Tap("/admin/users/many", "/admin/users/many/create", "user_create", typed, "", typed)


def _secretary(app: Flask) -> int:
    with app.app_context():
        return make_user(role="secretary").id


def edit_user(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    url = f"/admin/users/{_secretary(app)}"
    typed = {"display_name": "Nytt Namn", "role": "secretary", "is_active": "y", "kind": "pin"}
    return Tap(url, url, "user_change", typed | {"secret": "583920"})


def site(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    with app.app_context():
        text = db.session.scalar(select(Site.config_toml).order_by(Site.id))
    typed = {"config_toml": f"{text}\n# Ändrad inför övningen\n"}
    return Tap("/admin/site", "/admin/site", "site_config_change", typed)


def backup(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    app.config["BACKUP_DIR"].mkdir(parents=True, exist_ok=True)
    auth.login("admin")
    return Tap("/admin/", "/admin/backup", "backup")


def unlock(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    person = _secretary(app)
    with app.app_context():
        lock = FailedLogin(key=account_key(person, "10.0.0.66"), failed_attempts=0)
        lock.last_failed_at, lock.locked_until = utcnow(), utcnow().replace(year=2099)
        db.session.add(lock)
        db.session.commit()
    return Tap("/admin/users", f"/admin/users/{person}/unlock", "user_unlock")


def unlock_address(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    with app.app_context():
        lock = FailedLogin(key=address_key("10.0.0.66"), failed_attempts=0)
        lock.last_failed_at, lock.locked_until = utcnow(), utcnow().replace(year=2099)
        db.session.add(lock)
        db.session.commit()
    return Tap("/admin/users", "/admin/users/address-unlock", "address_unlock")


def end_logins(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("admin")
    url = f"/admin/users/{_secretary(app)}"
    return Tap(url, url + "/logins/end", "sessions_end")


def own_secret(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    auth.login("radiographer")
    typed = {"current": DEFAULT_PIN, "new": "583920", "confirm": "583920", "kind": "pin"}
    return Tap("/me/secret", "/me/secret", "secret_change", typed)


def move(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    """A real patient taken into a drill, a real outage declared beside it."""
    auth.login("radiographer")
    declare_incident(client, drill=True)
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    real = declare_incident(client, "om_ris")
    return Tap(url, url + "/move", "case_move", {"target": str(real), "reason": "Riktig patient"})


def cancel_notice(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    _incident(client, auth)
    url = f"/cases/{new_case(client, auth)}"
    auth.login("radiographer")
    page = client.get(url).get_data(as_text=True)
    cancel = form_fields(page, url + "/cancel") | {"reason": "Fel patient"}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    return Tap(url, url + "/cancel-notice", "cancel_notice", {"kind": "faxed"})


def restore_call(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    """A case cancelled, its notice faxed, the cancel undone: the referrer is to be called."""
    _incident(client, auth)
    url = f"/cases/{new_case(client, auth)}"
    auth.login("radiographer")
    page = client.get(url).get_data(as_text=True)
    cancel = form_fields(page, url + "/cancel") | {"reason": "Fel patient"}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    page = client.get(url).get_data(as_text=True)
    notice = form_fields(page, url + "/cancel-notice") | {"kind": "faxed"}
    assert client.post(url + "/cancel-notice", data=notice).status_code == 302
    page = client.get(url).get_data(as_text=True)
    restore = form_fields(page, url + "/restore") | {"reason": "Fel ärende"}
    assert client.post(url + "/restore", data=restore).status_code == 302
    return Tap(url, url + "/restore-call", "restore_call")


def reviewer_told(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    """A case cancelled while its referral is with the external reviewer: to tell them."""
    case_id = make_case(client, auth)
    url = f"/cases/{case_id}"
    auth.login("radiographer")
    fax = {"fax-number": "0999-600 01", "fax-sent_at": "2026-01-15T11:10"}
    assert client.post(f"/routines/reviewer/cases/{case_id}/fax", data=fax).status_code == 302
    page = client.get(url).get_data(as_text=True)
    cancel = form_fields(page, url + "/cancel") | {"reason": "Dubblett", "confirm_ris_pacs": "y"}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    return Tap(url, url + "/reviewer-told", "reviewer_cancel_told", {"how": "Faxat"})


def ris_pacs_cleaned(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    """A case with its accession saved (its booking undone), cancelled: to clean up in RIS,
    from the batch."""
    incident = _incident(client, auth)
    case_id = new_case(client, auth)
    auth.login("secretary")
    save_accession(client, case_id)
    undo = {"step": "booked", "is_done": "0"}
    assert client.post(f"/catchup/cases/{case_id}/steps", data=undo).status_code == 302
    auth.login("radiographer")
    url = f"/cases/{case_id}"
    page = client.get(url).get_data(as_text=True)
    cancel = form_fields(page, url + "/cancel") | {"reason": "Fel patient", "confirm_ris_pacs": "y"}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    auth.login("secretary")
    action = f"/catchup/cases/{case_id}/ris-pacs-cleaned"
    return Tap(f"/catchup/incidents/{incident}", action, "ris_pacs_clean_up", {"note": "Makulerad"})


def ris_removed(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    """A reviewer's answer entered in RIS by the admin, then undone: to remove from RIS."""
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    with app.app_context():
        exchange_id = db.session.scalar(select(ReviewerExchange.id))
    queue = "/routines/reviewer/queue"
    auth.login("admin")
    assert client.post(f"{queue}/{exchange_id}/done", data={"note": "I RIS"}).status_code == 302
    auth.login("radiographer")
    undo = {"undo-reason": "Fel ärende"}
    url = f"/routines/reviewer/cases/{case_id}/undo-receipt"
    assert client.post(url, data=undo).status_code == 302
    auth.login("admin")
    with app.app_context():
        task_id = db.session.scalar(
            select(ReviewerLogEntry.id).where(ReviewerLogEntry.kind == "ris_removal_due")
        )
    action = f"{queue}/{exchange_id}/removed-from-ris/{task_id}"
    return Tap(queue, action, "reviewer_ris_removed", {"note": "Borttaget ur RIS"})


def release_ris_note(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    """A case's images released in the outage: its note to tick as written in RIS."""
    case_id = make_case(client, auth, report="definitive", scenario="om_ris")
    auth.login("secretary")
    released = client.post(f"/routines/releases/cases/{case_id}", data=release_data())
    assert released.status_code == 302, released.get_data(as_text=True)
    release_id = int(released.headers["Location"].rsplit("/", 1)[-1])
    action = f"/catchup/releases/{release_id}/ris-note"
    return Tap(f"/catchup/cases/{case_id}", action, "release_ris_note")


SETUP_SECRET = "ett långt lösenord"


def setup(app: Flask, client: FlaskClient, auth: Any) -> Tap:
    typed = {"display_name": "Första Admin", "username": "forsta", "kind": "password"}
    return Tap(
        "/setup", "/setup", "user_create", typed | {"secret": SETUP_SECRET, "confirm": SETUP_SECRET}
    )


SETUPS: dict[str, Callable[[Flask, FlaskClient, Any], Tap]] = {
    "incidents.note": note,
    "incidents.tick": step,
    "incidents.restored": restored,
    "incidents.scenario": scenario,
    "followup.deviation": deviation,
    "routines.reviewer_tick": reviewer_step,
    "routines.transfer_check": transfer_check,
    "catchup.step": catchup_step,
    "cases.images_sent": images_sent,
    "blanks.void": void,
    "blanks.attach_confirm": attach,
    "cases.detach_blank": detach_blank,
    "cases.blank_read_same": blank_read_same,
    "reporting.priority": priority,
    "reporting.protocol": protocol,
    "reporting.second_look": second_look,
    "routines.reviewer_route_edit": route_status,
    "incidents.declare": declare,
    "blanks.reserve": reserve,
    "catchup.ris_ids": ris_ids,
    "drafts.discard": discard,
    "catchup.close": close,
    "admin.users": create_user,
    "admin.users_many_create": create_users,
    "admin.edit_user": edit_user,
    "admin.site": site,
    "admin.backup_now": backup,
    "admin.unlock": unlock,
    "admin.unlock_address_lock": unlock_address,
    "admin.end_user_logins": end_logins,
    "auth.own_secret": own_secret,
    "auth.setup": setup,
    "cases.cancel_notice": cancel_notice,
    "cases.move": move,
    "cases.restore_call": restore_call,
    "cases.reviewer_told": reviewer_told,
    "catchup.ris_pacs_cleaned": ris_pacs_cleaned,
    "routines.admin_removed_from_ris": ris_removed,
    "catchup.release_ris_note": release_ris_note,
}
# The app takes backups of its SQLite file only (PostgreSQL has its own tools).
ON_SQLITE_ONLY = {"admin.backup_now"}


def _events(app: Flask, action: str) -> int:
    with app.app_context():
        return int(
            db.session.scalar(
                select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
            )
            or 0
        )


@pytest.mark.parametrize(
    "endpoint",
    [pytest.param(e, marks=pytest.mark.sqlite_only) if e in ON_SQLITE_ONLY else e for e in SETUPS],
)
def test_a_form_sent_twice_is_one_act_answered_calmly(
    app: Flask, client: FlaskClient, auth: Any, endpoint: str
) -> None:
    tap = SETUPS[endpoint](app, client, auth)
    shown = (
        client.post(tap.page, data=tap.page_data)
        if tap.page_data is not None
        else client.get(tap.page)
    )
    assert shown.status_code == 200, shown.get_data(as_text=True)
    data = form_fields(shown.get_data(as_text=True), tap.action, tap.marker) | tap.typed
    before = _events(app, tap.audit)

    first = client.post(tap.action, data=data)
    assert first.status_code == 302, first.get_data(as_text=True)
    client.get(first.headers["Location"])  # the first answer's page takes its flash
    second = client.post(tap.action, data=data, follow_redirects=True)

    answer = second.get_data(as_text=True)
    assert second.status_code == 200, answer
    assert len(second.history) == 1, answer
    flashes = re.search(r'<div class="flashes".*?</div>', answer, re.S)
    assert flashes is None or "flash-error" not in flashes.group(0), flashes
    assert _events(app, tap.audit) == before + 1
