"""Bad input on the routines' forms: external reviewer, image transfer, release of images.

Each form is fuzzed on its own, against objects made through the app's own routes. A form
whose valid submit uses its object up (a handover, closing a transfer, the admin ticking off a
queued report) gets a fresh one for every example, so the unspoilt example really succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from webapp.checklist_keys import REVIEWER_PREFIX, text_key
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Case, ReviewerExchange, ReviewerLogEntry
from webapp.siteconfig import parse_site_config

from .factories import exam_data, referral_data, report_data
from .fuzz_harness import FUZZ, Form, check_response, clients_for, example_counter, fill_path, spoil
from .routines_support import release_data, transfer_data
from .test_access_wall import login

EXAMPLE = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))

RUNS, _report_total = example_counter()

# Counterpart, route and checklist keys are those of webapp/site_example.toml, the test site's.
PROXY_PICKUP = release_data(recipient_kind="proxy")


@dataclass
class RoutinesWorld:
    """Ids the routines' URLs name; the ones a valid submit uses up are replaced per example."""

    incident_id: int
    case_id: int
    case_code: str
    reported_case_id: int
    transfer_id: int
    closing_transfer_id: int
    release_id: int
    exchange_id: int
    route_key: str
    staff: FlaskClient  # a secretary's session that makes the fresh objects
    # A second case at the reviewer, whose answer is received but not entered: one to undo.
    bare_case_code: str = ""
    bare_case_id: int = 0
    # Its exchange (opened by a fax to the reviewer), and an admin's session that enters its
    # answers in RIS before they are undone: one to record as removed from RIS.
    bare_exchange_id: int = 0
    # The latest of its removal tasks (the ris_removal_due line), which the removal's path names.
    bare_task_id: int = 0
    admin: FlaskClient | None = None
    # release_id is a release made with RIS down, whose note is due (ris_note_release).
    has_due_note: bool = False

    def new_transfer(self) -> int:
        response = self.staff.post("/routines/transfers/new", data=transfer_data())
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rsplit("/", 1)[-1])

    def new_release(self) -> int:
        """A CD waiting for a proxy to collect it."""
        response = self.staff.post(
            f"/routines/releases/cases/{self.reported_case_id}", data=PROXY_PICKUP
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        return int(response.headers["Location"].rsplit("/", 1)[-1])

    def receive_bare(self) -> None:
        """The second case's answer received again (an undo lifted it), its text not entered."""
        data = received(self) | {"case_code": self.bare_case_code}
        data["confirmed_code"] = self.bare_case_code
        for typed in ("forwarded", "state", "conclusion"):
            data.pop(typed)
        # Still received after a refused undo: the page then says so, and that is fine.
        assert self.staff.post("/routines/reviewer/receive", data=data).status_code < 500

    def wrong_answer_in_ris(self) -> None:
        """The second case's answer received, entered in RIS by the admin, then undone."""
        self.receive_bare()
        if self.admin is None:
            self.admin = self.staff.application.test_client()
            login(self.admin, self.staff.application, "admin")
        done = self.admin.post(
            f"/routines/reviewer/queue/{self.bare_exchange_id}/done", data={"note": "Inlagt"}
        )
        assert done.status_code == 302, done.get_data(as_text=True)
        undo = self.staff.post(
            f"/routines/reviewer/cases/{self.bare_case_id}/undo-receipt",
            data={"undo-reason": "Svaret gällde ett annat ärende"},
        )
        assert undo.status_code == 302, undo.get_data(as_text=True)
        with self.staff.application.app_context():
            self.bare_task_id = db.session.scalar(
                select(func.max(ReviewerLogEntry.id)).where(
                    ReviewerLogEntry.exchange_id == self.bare_exchange_id,
                    ReviewerLogEntry.kind == "ris_removal_due",
                )
            )

    def receive_report(self) -> None:
        """The reviewer's faxed report came back: the exchange is queued for the admin again."""
        response = self.staff.post("/routines/reviewer/receive", data=received(self))
        assert response.status_code == 302, response.get_data(as_text=True)


def received(world: RoutinesWorld) -> dict[str, Any]:
    return {
        "case_code": world.case_code,
        "received_at": "2026-01-15T11:40",
        "reviewer_name": "Dr Granskare",
        "forwarded": "y",
        "confirmed_code": world.case_code,
        "confirm_unfaxed": "y",
        # Keyed in by the secretary: the copy to the referrer is printed from it.
        "state": "preliminary",
        "conclusion": "Ingen akut patologi.",
    }


def build_routines_world(app: Flask) -> RoutinesWorld:
    """An external-reviewer incident: an examined case sent to the reviewer, whose faxed report
    waits in the admin queue; a definitively reported case with a CD for a proxy; a transfer."""
    client = app.test_client()
    login(client, app, "radiographer")
    incident_url = client.post("/incidents/new", data={"scenario": "external_reviewer"}).headers[
        "Location"
    ]
    case_url = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(case_url + "/exam", data=exam_data()).status_code == 302
    bare_url = client.post(
        "/cases/new",
        data=referral_data(key_suffix="b", patient_name="Bo Ek", personal_number="19750505-0018"),
    ).headers["Location"]
    reported_url = client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="r",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    ).headers["Location"]
    assert client.post(reported_url + "/exam", data=exam_data(key_suffix="r")).status_code == 302
    client.post("/logout")
    login(client, app, "radiologist")
    signed = client.post(
        reported_url.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20)
    )
    assert signed.status_code == 302
    client.post("/logout")
    staff = app.test_client()
    login(staff, app, "secretary")
    case_id = int(case_url.rsplit("/", 1)[-1])
    with app.app_context():
        case_code = db.session.get(Case, case_id).code
    world = RoutinesWorld(
        incident_id=int(incident_url.rsplit("/", 1)[-1]),
        case_id=case_id,
        case_code=case_code,
        reported_case_id=int(reported_url.rsplit("/", 1)[-1]),
        transfer_id=0,
        closing_transfer_id=0,
        release_id=0,
        exchange_id=0,
        route_key="postprocessing",
        staff=staff,
    )
    with app.app_context():
        world.bare_case_id = int(bare_url.rsplit("/", 1)[-1])
        world.bare_case_code = db.session.get(Case, world.bare_case_id).code
    world.transfer_id = world.new_transfer()
    world.closing_transfer_id = world.new_transfer()
    world.release_id = world.new_release()
    world.receive_report()
    fax = {"fax-number": "0999-600 01", "fax-sent_at": "2026-01-15T11:10"}
    faxed = staff.post(f"/routines/reviewer/cases/{world.bare_case_id}/fax", data=fax)
    assert faxed.status_code == 302, faxed.get_data(as_text=True)
    with app.app_context():
        world.exchange_id = db.session.scalar(
            select(ReviewerExchange.id).where(ReviewerExchange.case_id == case_id)
        )
        world.bare_exchange_id = db.session.scalar(
            select(ReviewerExchange.id).where(ReviewerExchange.case_id == world.bare_case_id)
        )
    return world


def _handover(world: RoutinesWorld) -> dict[str, Any]:
    world.release_id = world.new_release()
    return {
        "patient_id_checked": "y",
        "proxy_name": "Eva Ek",
        "proxy_id_checked": "y",
        "power_of_attorney": "y",
    }


def _ris_note(world: RoutinesWorld) -> dict[str, Any]:
    """A release whose referral note is due: made once the scenario has RIS down (in the
    external reviewer's outage RIS works, and the note is written there at once)."""
    if not world.has_due_note:
        changed = world.staff.post(
            f"/incidents/{world.incident_id}/scenario", data={"scenario": "total"}
        )
        assert changed.status_code == 302, changed.get_data(as_text=True)
        world.release_id = world.new_release()
        world.has_due_note = True
    return {"is_done": "1"}


def _close(world: RoutinesWorld) -> dict[str, Any]:
    world.closing_transfer_id = world.new_transfer()
    return {"close-status": "abandoned", "close-note": "Patienten skickas till annan region"}


def _undo(world: RoutinesWorld) -> dict[str, Any]:
    world.receive_bare()
    return {"undo-reason": "Svaret gällde ett annat ärende", "undo-referrer_told": "y"}


def _admin_done(world: RoutinesWorld) -> dict[str, Any]:
    world.receive_report()
    return {"note": "Svar i RIS"}


def _removed_from_ris(world: RoutinesWorld) -> dict[str, Any]:
    world.wrong_answer_in_ris()
    return {"note": "Svaret borttaget från ärendet i RIS"}


ROUTINE_FORMS: tuple[Form[RoutinesWorld], ...] = (
    Form(
        "routines.reviewer_tick",
        "/routines/reviewer/steps",
        "radiographer",
        lambda w: {
            "key": REVIEWER_PREFIX + text_key(EXAMPLE.routines.external_reviewer.checklist[0]),
            "is_done": "1",
        },
        ("key", "is_done"),
    ),
    Form(
        "routines.reviewer_fax",
        "/routines/reviewer/cases/{case_id}/fax",
        "radiographer",
        lambda w: {"fax-number": "0999-600 01", "fax-sent_at": "2026-01-15T11:10"},
        ("fax-number", "fax-sent_at", "fax-note"),
        ("fax-number", "fax-sent_at", "fax-note"),
    ),
    Form(
        "routines.reviewer_route",
        "/routines/reviewer/cases/{case_id}/route",
        "radiographer",
        lambda w: {"route-route_key": "teleradiology", "route-outcome": "failed"},
        ("route-route_key", "route-outcome", "route-note"),
        ("route-note",),
    ),
    Form(
        "routines.reviewer_verbal",
        "/routines/reviewer/cases/{case_id}/verbal",
        "radiographer",
        lambda w: {
            "verbal-reviewer_name": "Dr Granskare",
            "verbal-called_person": "Dr Åberg, akuten",
            "verbal-called_at": "2026-01-15T11:30",
        },
        ("verbal-reviewer_name", "verbal-called_person", "verbal-called_at", "verbal-note"),
        ("verbal-reviewer_name", "verbal-called_person", "verbal-called_at", "verbal-note"),
    ),
    Form(
        "routines.reviewer_forwarded",
        "/routines/reviewer/cases/{case_id}/forwarded",
        "radiographer",
        lambda w: {"forward-number": "0999-123 46", "forward-at": "2026-01-15T11:50"},
        ("forward-number", "forward-at"),
        ("forward-number", "forward-at"),
    ),
    Form(
        "routines.reviewer_undo_receipt",
        "/routines/reviewer/cases/{bare_case_id}/undo-receipt",
        "radiographer",
        _undo,
        ("undo-reason", "undo-referrer_told"),
        ("undo-reason",),
    ),
    Form(
        "routines.reviewer_receive",
        "/routines/reviewer/receive",
        "secretary",  # may key in the report's text, so those fields are offered too
        received,
        (
            "case_code",
            "received_at",
            "reviewer_name",
            "forwarded",
            "state",
            "findings",
            "conclusion",
            "is_urgent",
            "replace_draft",
            "draft_version",
            "report_version",
            "replace_report",
            "report_confirmed",
        ),
        ("case_code", "received_at", "reviewer_name", "findings", "conclusion"),
    ),
    Form(
        "routines.admin_done",
        "/routines/reviewer/queue/{exchange_id}/done",
        "admin",
        _admin_done,
        ("note",),
        ("note",),
    ),
    Form(
        "routines.admin_removed_from_ris",
        "/routines/reviewer/queue/{bare_exchange_id}/removed-from-ris/{bare_task_id}",
        "admin",
        _removed_from_ris,
        ("note", "form_key"),
        ("note",),
    ),
    Form(
        "routines.reviewer_route_edit",
        "/routines/reviewer/routes/{route_key}",
        "admin",
        lambda w: {"is_working": "0", "note": "Går inte till granskaren sedan maj."},
        ("is_working", "note"),
        ("note",),
    ),
    Form(
        "routines.transfer_new",
        "/routines/transfers/new",
        "radiographer",
        lambda w: transfer_data(case_code=w.case_code, note="Ring före"),
        ("direction", "counterpart", "urgency", "case_code", "exam_text", "patient_ref", "note"),
        ("case_code", "exam_text", "patient_ref", "note"),
    ),
    Form(
        "routines.transfer_attempt",
        "/routines/transfers/{transfer_id}/attempts",
        "radiographer",
        lambda w: {"route": "via_region", "via_region": "Region Västerby", "outcome": "failed"},
        ("route", "via_region", "outcome", "note"),
        ("note",),
    ),
    Form(
        "routines.transfer_check",
        "/routines/transfers/{transfer_id}/checks",
        "radiographer",
        lambda w: {
            "list_key": "send",
            "item": text_key(EXAMPLE.routines.transfer.problems_sending[1]),
            "is_done": "1",
        },
        ("list_key", "item", "is_done"),
    ),
    Form(
        "routines.transfer_close",
        "/routines/transfers/{closing_transfer_id}/close",
        "radiographer",
        _close,
        ("close-status", "close-note"),
        ("close-note",),
    ),
    Form(
        "routines.release_new",
        "/routines/releases/cases/{reported_case_id}",
        "secretary",
        lambda w: release_data(),
        (
            "recipient_kind",
            "recipient_name",
            "is_urgent_care",
            "channel",
            "recipient_not_on_iep",
            "media_kind",
            "delivery",
            "findings_positive",
            "doctor_cleared_by",
            "billing_recorded",
        ),
        ("recipient_name", "doctor_cleared_by"),
    ),
    Form(
        "routines.release_report",
        "/routines/releases/{release_id}/report.pdf",
        "secretary",
        lambda w: {"svar-recipient_name": "Eva Ek", "svar-recipient_address": "Storgatan 1"},
        ("svar-recipient_name", "svar-recipient_address"),
        ("svar-recipient_name", "svar-recipient_address"),
    ),
    Form(
        "routines.release_report_check",
        "/routines/releases/{release_id}/report",
        "secretary",
        lambda w: {"svar-recipient_name": "Eva Ek", "svar-recipient_address": "Storgatan 1"},
        ("svar-recipient_name", "svar-recipient_address"),
        ("svar-recipient_name", "svar-recipient_address"),
    ),
    Form(
        "catchup.release_ris_note",
        "/catchup/releases/{release_id}/ris-note",
        "secretary",
        _ris_note,
        ("is_done", "shown", "form_key"),
    ),
    Form(
        "routines.release_handover",
        "/routines/releases/{release_id}/handover",
        "secretary",
        _handover,
        ("patient_id_checked", "proxy_name", "power_of_attorney", "proxy_id_checked"),
        ("proxy_name",),
    ),
)


@pytest.mark.parametrize("form", ROUTINE_FORMS, ids=lambda f: f.endpoint.split(".")[1])
def test_routine_form_posts_survive_bad_input(app: Flask, form: Form[RoutinesWorld]) -> None:
    world = build_routines_world(app)
    client = clients_for(app, {form.role})[form.role]
    # Some routes redirect with a flashed error too: the page after it tells them apart. The
    # form's data first: making it may make the object its path names (a removal task).
    data = form.base(world)
    first = client.post(fill_path(form.path, world), data=data, follow_redirects=True)
    # A print answers with its PDF, its check with the page offering it, every other form with
    # a redirect.
    if form.endpoint == "routines.release_report_check":
        assert first.status_code == 200 and "report.pdf" in first.get_data(as_text=True)
    elif first.mimetype != "application/pdf":
        page = first.get_data(as_text=True)
        assert len(first.history) == 1 and "flash-error" not in page, (form.endpoint, page[:3000])

    @FUZZ
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        sent = spoil(data, form, world)
        response = client.post(fill_path(form.path, world), data=sent)
        check_response(response, sent, form.echo, form.endpoint)
        RUNS[form.endpoint] += 1

    run()
    assert RUNS[form.endpoint] >= 40
