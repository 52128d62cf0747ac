"""The accessibility sweep's world: the demo drill, and the pages each role reaches in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from werkzeug.routing import Rule

from ..factories import DEMO_PIN
from ..test_access_wall import EXPECTED, LAST, PUBLIC, concrete_path, ordered_rules

# The demo users the sweep logs in as, one per role.
USERS = {
    "admin": "demo-admin",
    "radiologist": "demo-rad1",
    "secretary": "demo-sek1",
    "radiographer": "demo-rsk1",
}
# The pages that change most with a case's state are opened once for a case in each state.
BY_STATE = {"cases.show", "catchup.case", "reporting.screen"}
# Not pages: files, fragments the board fetches, the drafts API and the health probe.
NOT_PAGES = {
    "static",
    "main.healthz",
    "auth.me",
    "auth.setup",
    "board.rows",
    "drafts.get",
    "admin.audit_export",
    "admin.lan_qr",
    "blanks.batch_pdf",
    "blanks.routines",
    "blanks.ward_referral",
    "blanks.reprint_unused",
    "catchup.export",
    "catchup.export_again",
    "printing.case_document",
    "printing.incident_list",
}


@dataclass(frozen=True)
class Drill:
    """Ids of one of every object a page's URL can name, and a case in each state."""

    params: dict[str, str]
    by_state: dict[str, int]
    part_code: str
    # A documentation blank's code voided (its sheet lost): its join page says so at once.
    voided_code: str


def seed_drill(app: Flask) -> Drill:
    """The demo drill (a case in every state, the routines), a blank's code and a draft."""
    from webapp.blanks.services import attach_blank, reserve_codes, void_code
    from webapp.demo import run_demo
    from webapp.drafts.services import save_draft
    from webapp.extensions import db
    from webapp.models import (
        Case,
        Draft,
        ExamRecord,
        ImageRelease,
        ImageTransfer,
        ReportTemplate,
        ReviewerExchange,
        User,
    )
    from webapp.sites import site_config

    with app.app_context():
        result = run_demo(cases=14, pin=DEMO_PIN)
        admin = db.session.scalars(select(User).where(User.username == USERS["admin"])).one()
        radiographer = db.session.scalars(
            select(User).where(User.username == USERS["radiographer"])
        ).one()
        code = reserve_codes(user=admin, count=1, doc_kind="BLR", batch_label="Svep")[0]
        part = reserve_codes(user=admin, count=1, doc_kind="BLD", batch_label="Svep")[0]
        voided = reserve_codes(user=admin, count=1, doc_kind="BLD", batch_label="Svep")[0]
        void_code(user=admin, code=voided, reason="Bladet kom bort")
        save_draft(
            form_key="a" * 24,
            kind="referral",
            user=radiographer,
            incident_id=result.incident_id,
            case_id=None,
            data={"patient_name": "Utkast Patient"},
            label="Utkast Patient",
            seq=1,
        )
        cases = db.session.scalars(select(Case).order_by(Case.id)).all()
        by_state: dict[str, int] = {}
        for case in cases:
            by_state.setdefault(case.status, case.id)
        signed = by_state["report_definitive"]
        # A case whose images were released in the drill: its catch-up page offers the tick
        # of the release's note as written in RIS.
        released = db.session.scalars(select(ImageRelease.case_id).order_by(ImageRelease.id))
        first_released = released.first()
        if first_released is not None and first_released not in by_state.values():
            by_state["released"] = first_released
        # Its images left on the modality: the case page's warning and its form, and the
        # catch-up's note beside "images matched", are read too.
        db.session.execute(
            update(ExamRecord)
            .where(ExamRecord.case_id == by_state["exam_done"])
            .values(pacs_status="no", pacs_sent_at=None)
        )
        db.session.commit()
        # A report blank joined to a case waiting for its report: the case page lists it with
        # its detach form.
        joined = reserve_codes(user=admin, count=1, doc_kind="BLU", batch_label="Svep")[0]
        attach_blank(user=admin, code=joined, case_id=by_state["referral_received"])
        # A report blank joined over the signed case's report: its page warns, and offers a
        # radiologist the addendum and the blank read as the same.
        over = reserve_codes(user=admin, count=1, doc_kind="BLU", batch_label="Svep")[0]
        attach_blank(user=admin, code=over, case_id=signed, over_signed=True)
        _answer_undone_after_ris(admin, radiographer)
        _lock_out_a_tablet(radiographer.id)
        exchange = db.session.scalars(select(ReviewerExchange).order_by(ReviewerExchange.id))
        first: Any = exchange.first()
        routes = site_config(admin.site).routines.external_reviewer.routes

        def first_id(model: Any) -> str:
            return str(db.session.scalars(select(model.id).order_by(model.id)).first())

        params = {
            "incident_id": str(result.incident_id),
            "case_id": str(signed),
            "code": code,
            "draft_id": first_id(Draft),
            "form_key": "a" * 24,
            "template_id": first_id(ReportTemplate),
            "user_id": str(radiographer.id),
            "kind": "referral",
            "exchange_id": str(first.id),
            "release_id": first_id(ImageRelease),
            "transfer_id": first_id(ImageTransfer),
            "key": routes[0].key,
            # The demo's cancelled case: its page offers the notice to the referrer.
            "cancelled_id": str(by_state["cancelled"]),
        }
        return Drill(params=params, by_state=by_state, part_code=part, voided_code=voided)


def _lock_out_a_tablet(user_id: int) -> None:
    """A tablet locked out at every username and at one user's: the users page lists both
    with the buttons that lift them."""
    from webapp.auth.lockout import account_key, address_key
    from webapp.extensions import db
    from webapp.models import FailedLogin, utcnow

    until = utcnow() + timedelta(hours=12)
    for key in (address_key("10.0.0.66"), account_key(user_id, "10.0.0.66")):
        db.session.add(FailedLogin(key=key, last_failed_at=utcnow(), locked_until=until))
    db.session.commit()


def _answer_undone_after_ris(admin: Any, radiographer: Any) -> None:
    """An answer received on a case still waiting for one, entered in RIS by the admin, then
    undone: the queue, the batch and the follow-up show the task to remove it from RIS."""
    from webapp.extensions import db
    from webapp.models import ReviewerExchange, utcnow
    from webapp.routines.reviewer_admin_services import mark_admin_done
    from webapp.routines.reviewer_answer_services import receive_report
    from webapp.routines.reviewer_undo_services import undo_report_received

    waiting = db.session.scalars(
        select(ReviewerExchange)
        .where(ReviewerExchange.report_received_at.is_(None))
        .order_by(ReviewerExchange.id.desc())
    ).first()
    if waiting is None:
        return
    case_id, exchange_id = waiting.case_id, waiting.id
    receive_report(
        case_id=case_id,
        user=radiographer,
        received_at=utcnow(),
        reviewer_name="Dr Granskare",
        forwarded_to_referrer=False,
        unfaxed_confirmed=True,
    )
    mark_admin_done(exchange_id=exchange_id, user=admin, note="Inlagt i RIS")
    undo_report_received(
        case_id=case_id, user=radiographer, reason="Fel ärendekod", referrer_told=True
    )


def pages_for(app: Flask, role: str, drill: Drill) -> list[tuple[str, str]]:
    """(endpoint, path) of every HTML page the role may open, a case page once per state."""
    out = []
    for rule in ordered_rules(app):
        if not _is_page(rule) or not _reaches(rule.endpoint, role):
            continue
        if rule.endpoint in BY_STATE:
            for case_id in drill.by_state.values():
                params = {**drill.params, "case_id": str(case_id)}
                out.append((rule.endpoint, concrete_path(rule, params)))
        elif rule.endpoint == "blanks.attach":  # a documentation blank is what is attached
            for code in (drill.part_code, drill.voided_code):
                out.append((rule.endpoint, concrete_path(rule, {**drill.params, "code": code})))
        else:
            out.append((rule.endpoint, concrete_path(rule, drill.params)))
    return out


def plain_pages(app: Flask, role: str) -> list[str]:
    """The paths of the pages the role may open that name no object."""
    return [
        rule.rule
        for rule in ordered_rules(app)
        if _is_page(rule) and _reaches(rule.endpoint, role) and not rule.arguments
    ]


# A route named as a file is one (a PDF the browser hands to its viewer): not a page for axe.
FILE_SUFFIXES = (".pdf", ".csv", ".json", ".svg", ".png")


def _is_page(rule: Rule) -> bool:
    return (
        "GET" in (rule.methods or ())
        and rule.endpoint not in NOT_PAGES
        and not rule.rule.endswith(FILE_SUFFIXES)
        and rule.endpoint not in LAST
    )


def _reaches(endpoint: str, role: str) -> bool:
    expected = EXPECTED[endpoint]
    return expected == PUBLIC or role in expected
