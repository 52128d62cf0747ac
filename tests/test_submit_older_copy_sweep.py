"""Every form that autosaves as a draft, sent from a page older than its draft (another tablet
typed on and saved since): refused with the choice beside it, nothing written, what was typed
kept on the page, never a server error; sent again knowingly, it is saved."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.draft_kinds import DRAFT_KINDS
from webapp.extensions import db
from webapp.models import Draft, ReservedCode, Submission, User

from .factories import (
    DEFAULT_PIN,
    audit_count,
    case_code,
    declare_incident,
    exam_data,
    faxed_report_data,
    local_minute,
    paper_report_data,
    referral_data,
    report_data,
    unidentified_referral_data,
)
from .followup_support import seed_ended_incident
from .routines_support import make_case, receive_data, release_data, transfer_data
from .test_cancel_forms_drafts import _cancelled
from .test_cases_move import drill_case_beside_outage
from .test_cases_restore_call import _restored_after_notice

KEY = "oldercopy-" + "o" * 20
TABLET_A = "tablet-a-" + "1" * 8
TABLET_B = "tablet-b-" + "2" * 8
TEXT = "Skrivet på den här plattan, Åsa Ölander"
REFUSED = "fortsattes på en annan platta"


@dataclass(frozen=True)
class World:
    """The page drawing the kind's form (its user logged in), its case, what is typed into it."""

    page: str
    case_id: int | None
    typed: dict[str, Any]
    # What of the typed is looked for on the page again (a number's form takes no free text).
    shown: str = TEXT


Setup = Callable[[Flask, FlaskClient, Any], World]


def _case(client: FlaskClient, auth: Any, role: str, report: str = "", **kw: Any) -> int:
    case_id = make_case(client, auth, report=report, **kw)
    auth.login(role)
    return case_id


def _referral(app: Flask, client: FlaskClient, auth: Any) -> World:
    auth.login("radiographer")
    declare_incident(client)
    return World("/cases/new", None, referral_data(clinical_question=TEXT))


def _blank_referral(app: Flask, client: FlaskClient, auth: Any) -> World:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    auth.login("radiographer")
    declare_incident(client)
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code))
    return World(f"/blanks/{code}/open", None, referral_data(clinical_question=TEXT))


def _referral_edit(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiographer")
    return World(f"/cases/{case_id}/referral", case_id, referral_data(history=TEXT))


def _identity(app: Flask, client: FlaskClient, auth: Any) -> World:
    auth.login("radiographer")
    declare_incident(client)
    location = client.post("/cases/new", data=unidentified_referral_data()).headers["Location"]
    typed = {"id_mode": "pnr", "personal_number": "19121212-1212", "patient_name": "Okänd Man"}
    return World(location + "/identity", int(location.rsplit("/", 1)[-1]), typed | {"reason": TEXT})


def _exam(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiographer", exam=False)
    return World(f"/cases/{case_id}/exam", case_id, exam_data(radiographers=TEXT))


def _report(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiologist")
    return World(f"/reporting/{case_id}", case_id, report_data("preliminary", findings=TEXT))


def _addendum(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiologist", report="definitive")
    return World(f"/reporting/{case_id}/addendum", case_id, {"text": TEXT})


def _fax_report(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "secretary")
    return World(f"/reporting/{case_id}/fax", case_id, faxed_report_data(findings=TEXT))


def _paper_report(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiologist")
    with app.app_context():
        author = db.session.scalar(select(User.id).where(User.username == "test-radiologist"))
    auth.login("secretary")
    typed = paper_report_data(str(author), findings=TEXT)
    return World(f"/reporting/{case_id}/paper", case_id, typed)


def _reviewer_report(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "secretary")
    typed = receive_data(
        case_code(app, case_id), state="preliminary", findings=TEXT, conclusion="Ingen blödning."
    )
    return World("/routines/reviewer/receive", None, typed)


def _reviewer_verbal(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiographer")
    typed = {
        "reviewer_name": "Dr Granskare",
        "called_person": "Dr Åberg, akuten",
        "called_at": "2026-01-15T11:30",
        "note": TEXT,
    }
    return World(f"/routines/reviewer/cases/{case_id}", case_id, typed)


def _transfer(app: Flask, client: FlaskClient, auth: Any) -> World:
    auth.login("radiographer")
    declare_incident(client)
    return World("/routines/transfers/new", None, transfer_data(exam_text=TEXT))


def _transfer_attempt(app: Flask, client: FlaskClient, auth: Any) -> World:
    auth.login("radiographer")
    declare_incident(client)
    opened = client.post("/routines/transfers/new", data=transfer_data())
    assert opened.status_code == 302, opened.get_data(as_text=True)
    page = opened.headers["Location"]
    typed = {"route": "direct", "outcome": "failed", "note": TEXT}
    return World(page.split("#")[0], None, typed)


def _deviation(app: Flask, client: FlaskClient, auth: Any) -> World:
    incident_id = seed_ended_incident(app).incident_id
    logged_in = client.post("/login", data={"username": "fu-sara", "secret": DEFAULT_PIN})
    assert logged_in.status_code == 302
    number = "AV-2026-0042"
    page = f"/incidents/{incident_id}/followup"
    return World(page, None, {"deviation_number": number}, number)


def _incident_note(app: Flask, client: FlaskClient, auth: Any) -> World:
    auth.login("radiographer")
    incident_id = declare_incident(client)
    return World(f"/incidents/{incident_id}", None, {"note": TEXT})


def _cancel(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiographer")
    typed = {"reason": TEXT, "confirm_ris_pacs": "y"}
    return World(f"/cases/{case_id}", case_id, typed)


def _move(app: Flask, client: FlaskClient, auth: Any) -> World:
    _, real, case_id = drill_case_beside_outage(client, auth)
    return World(f"/cases/{case_id}", case_id, {"target": str(real), "reason": TEXT})


def _waiver(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "secretary")
    return World(f"/catchup/cases/{case_id}", case_id, {"reason": TEXT})


def _release(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "secretary", report="definitive")
    typed = release_data(recipient_name=TEXT)
    return World(f"/routines/releases/cases/{case_id}", case_id, typed)


def _restore(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _cancelled(client, auth)
    return World(f"/cases/{case_id}", case_id, {"reason": TEXT})


def _cancel_notice(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _cancelled(client, auth)
    return World(f"/cases/{case_id}", case_id, {"kind": "not_needed", "note": TEXT})


def _restore_call(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _restored_after_notice(client, auth)
    typed = {
        "called_at": local_minute(),
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "note": TEXT,
    }
    return World(f"/cases/{case_id}", case_id, typed)


def _urgent_call(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiologist", report="preliminary")
    typed = {
        "called_at": local_minute(),
        "called_person": "Dr Åberg",
        "phone_number": "0999-123 45",
        "note": TEXT,
    }
    return World(f"/reporting/{case_id}/call", case_id, typed)


def _protocol(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiologist")
    return World(f"/reporting/{case_id}", case_id, {"protocol": TEXT})


def _priority(app: Flask, client: FlaskClient, auth: Any) -> World:
    case_id = _case(client, auth, "radiologist")
    return World(f"/reporting/{case_id}", case_id, {"priority": "rutin", "reason": TEXT})


WORLDS: dict[str, Setup] = {
    "referral": _referral,
    "blank_referral": _blank_referral,
    "referral_edit": _referral_edit,
    "identity": _identity,
    "exam": _exam,
    "report": _report,
    "addendum": _addendum,
    "fax_report": _fax_report,
    "paper_report": _paper_report,
    "reviewer_report": _reviewer_report,
    "reviewer_verbal": _reviewer_verbal,
    "transfer": _transfer,
    "transfer_attempt": _transfer_attempt,
    "cancel": _cancel,
    "move": _move,
    "waiver": _waiver,
    "release": _release,
    "restore": _restore,
    "cancel_notice": _cancel_notice,
    "restore_call": _restore_call,
    "urgent_call": _urgent_call,
    "deviation": _deviation,
    "incident_note": _incident_note,
    "protocol": _protocol,
    "priority": _priority,
}


def test_the_sweep_knows_every_draft_kind() -> None:
    assert sorted(WORLDS) == sorted(DRAFT_KINDS)


def _form(page: str, kind: str) -> tuple[str, dict[str, str]]:
    """The action of the form autosaving as `kind`, and its inputs as a browser sends them."""
    match = re.search(rf'<form(?=[^>]*data-draft-kind="{kind}")[^>]*>(.*?)</form>', page, re.S)
    assert match is not None, f"no autosaved {kind} form on the page"
    action = re.search(r'\baction="([^"]*)"', match.group(0).split(">", 1)[0])
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", match.group(1)):
        name = re.search(r'\bname="([^"]*)"', tag)
        value = re.search(r'\bvalue="([^"]*)"', tag)
        if name and 'type="checkbox"' not in tag and 'type="radio"' not in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return html.unescape(action.group(1)) if action else "", fields


def _said_beside_the_submit(page: str, kind: str) -> None:
    """The refusal and its choice once each, inside the form sent, after its fields: where the
    user tapped Send, not at the page's top nor by one field."""
    form = re.search(rf'<form(?=[^>]*data-draft-kind="{kind}")[^>]*>(.*?)</form>', page, re.S)
    assert form is not None
    inside = form.group(1)
    assert page.count(REFUSED) == 1
    assert page.count("older-copy-choice") == 1
    assert REFUSED in inside
    assert 'class="older-copy-choice' in inside
    assert inside.index(REFUSED) < inside.index(f'data-send-anyway="{KEY}"')
    assert re.search(rf'class="error"[^>]*>[^<]*{REFUSED}', page) is None
    # Near its submit: no field of the form comes after the choice.
    after = inside[inside.index("older-copy-choice") :]
    assert re.search(r"<(textarea|select)\b|<input(?![^>]*type=\"hidden\")", after) is None


def _sent(app: Flask) -> tuple[bool, bool]:
    """Whether the form's submit is stored, and whether its draft is done."""
    with app.app_context():
        stored = db.session.scalar(select(Submission.key).where(Submission.key == KEY))
        done = db.session.scalar(select(Draft.is_done).where(Draft.form_key == KEY))
    return stored is not None, bool(done)


def _continued_on_b(client: FlaskClient, kind: str, world: World, data: dict[str, str]) -> None:
    """Tablet A saved the draft at 4; tablet B opened it and typed on (saved at 6)."""
    body: dict[str, Any] = {"kind": kind, "label": "x", "data": data}
    if world.case_id is not None:
        body["case_id"] = str(world.case_id)
    for seq, writer, base in ((4, TABLET_A, 0), (6, TABLET_B, 4)):
        saved = client.put(
            f"/api/drafts/{KEY}", json={**body, "seq": seq, "writer": writer, "base": base}
        )
        assert saved.status_code == 200, saved.get_data(as_text=True)
        assert saved.get_json()["state"] in ("created", "saved"), saved.get_json()


@pytest.mark.parametrize("kind", sorted(WORLDS))
def test_a_form_sent_from_an_older_copy_is_refused_then_sent_knowingly(
    app: Flask, client: FlaskClient, auth: Any, kind: str
) -> None:
    world = WORLDS[kind](app, client, auth)
    action, fields = _form(client.get(world.page).get_data(as_text=True), kind)
    key_field = next(name for name in fields if name.endswith("form_key"))
    prefix = key_field[: -len("form_key")]
    typed = {prefix + k: str(v) for k, v in world.typed.items() if k != "form_key"}
    data = fields | typed | {key_field: KEY}
    _continued_on_b(client, kind, world, data)
    older = data | {"draft_writer": TABLET_A, "draft_base": "4", "draft_seq": "4"}

    refused = client.post(action or world.page, data=older)
    assert refused.status_code in (200, 400, 409), refused.headers.get("Location")
    page = html.unescape(refused.get_data(as_text=True))
    assert REFUSED in page
    assert f'data-send-anyway="{KEY}"' in page
    assert world.shown in page  # what was typed is on the page again
    _said_beside_the_submit(page, kind)
    assert _sent(app) == (False, False)

    anyway = client.post(action or world.page, data=older | {"draft_send_anyway": "1"})
    assert anyway.status_code == 302, html.unescape(anyway.get_data(as_text=True))[:3000]
    assert _sent(app) == (True, True)


@pytest.mark.parametrize("kind", sorted(WORLDS))
def test_a_resend_after_an_autosave_moved_the_copys_count_on_is_one_act(
    app: Flask, client: FlaskClient, auth: Any, kind: str
) -> None:
    world = WORLDS[kind](app, client, auth)
    action, fields = _form(client.get(world.page).get_data(as_text=True), kind)
    key_field = next(name for name in fields if name.endswith("form_key"))
    prefix = key_field[: -len("form_key")]
    typed = {prefix + k: str(v) for k, v in world.typed.items() if k != "form_key"}
    data = fields | typed | {key_field: KEY}
    _continued_on_b(client, kind, world, data)
    first = client.post(action or world.page, data=data | _copy(TABLET_B, "6", "6"))
    assert first.status_code == 302, html.unescape(first.get_data(as_text=True))[:3000]
    events = audit_count(app)
    # The double tap's second send comes after an autosave's answer moved the page's count on.
    again = client.post(action or world.page, data=data | _copy(TABLET_B, "7", "8"))
    assert again.status_code == 302, html.unescape(again.get_data(as_text=True))[:3000]
    assert again.headers["Location"] == first.headers["Location"]
    assert audit_count(app) == events


def _copy(writer: str, base: str, seq: str) -> dict[str, str]:
    return {"draft_writer": writer, "draft_base": base, "draft_seq": seq}
