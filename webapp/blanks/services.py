"""Reserving, voiding and using binder codes."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED, SubmitNotStored
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult, store_once
from ..cases.waiting import DOC_BLANK, REPORT_BLANK
from ..codes import generate_case_code
from ..draft_kinds import sheet_code
from ..models import Case, Draft, Incident, ReservedCode, User, utcnow
from ..storage import lock_before_reading, write_transaction
from .errors import BlankError
from .kinds import BLANK_KIND_NAMES, BLANK_KINDS
from .over_signed import (
    JOINED_OVER_SIGNED,
    OVER_SIGNED_NOT_CONFIRMED,
    SignedReportInTheWay,
    report_is_signed,
)
from .queries import reserved_code_to_change

REPORT_BLANK_AFTER_WAIVER = (
    "En utlåtandeblankett kopplades till ärendet efter att det undantagits: en radiolog för in "
    "utlåtandet, sedan läggs det in i RIS."
)
DOC_BLANK_AFTER_WAIVER = (
    "En dokumentationsblankett kopplades till ärendet efter att det undantagits: undersökningen "
    "förs in, sedan läggs den in i RIS."
)
TYPED_IN_NOW = (
    "Blanketten håller på att föras in: det finns ett osänt utkast från den. Skicka utkastet, "
    "eller släng det under Utkast, innan koden makuleras."
)
__all__ = ["BlankError"]  # from .errors: the blanks' views and services import it from here

# Blanks that document a case begun on another sheet: they join that case, never start one.
CASE_PART_KINDS = {"BLD": "Dokumentationsblankett", "BLU": "Utlåtandeblankett"}
MAX_BATCH = 200


def reserve_codes(*, user: User, count: int, doc_kind: str, batch_label: str) -> list[str]:
    """Reserve fresh case codes for printed blank forms; they are never handed out again."""
    _check_batch(count, doc_kind)
    with write_transaction() as session:
        return _reserve(session, user, count, doc_kind, batch_label)


def reserve_codes_once(
    *,
    user: User,
    count: int,
    doc_kind: str,
    batch_label: str,
    form_key: str,
    digest: str,
    url_for_batch: Callable[[str], str],
) -> list[str] | SubmitResult:
    """Reserve from the binder's form: a form key already used reserves nothing more.

    A double tap would leave a second batch among the unused codes, never printed, until
    someone voids it. The first submit's stored result is returned instead, its `url` the
    batch's page; the same key with other content is refused (SubmissionConflict).
    """
    _check_batch(count, doc_kind)

    try:
        return store_once(
            form_key=form_key,
            digest=digest,
            kind="blank_reserve",
            user_id=user.id,
            write=lambda session: _reserve(session, user, count, doc_kind, batch_label),
            url_of=lambda codes: url_for_batch(codes[0]),
        )
    except SubmitNotStored as exc:
        raise BlankError(exc.message, **exc.values) from exc


def _check_batch(count: int, doc_kind: str) -> None:
    if doc_kind not in BLANK_KINDS:
        raise BlankError("Okänd blankett.")
    if not 1 <= count <= MAX_BATCH:
        raise BlankError("Ange 1–%(most)s blanketter.", most=MAX_BATCH)


def _reserve(
    session: Session, user: User, count: int, doc_kind: str, batch_label: str
) -> list[str]:
    codes: list[str] = []
    # One time for the whole batch: its sheets are printed together by it (batch_codes).
    now = utcnow()
    while len(codes) < count:
        code = generate_case_code()
        taken = (
            code in codes
            or session.scalar(select(Case.id).where(Case.code == code))
            or session.scalar(select(ReservedCode.id).where(ReservedCode.code == code))
        )
        if taken:
            continue
        codes.append(code)
        session.add(
            ReservedCode(
                code=code,
                site_id=user.site_id,
                doc_kind=doc_kind,
                batch_label=batch_label.strip()[:100],
                reserved_by_id=user.id,
                reserved_at=now,
            )
        )
    log_event(
        "blank_reserve",
        user=user,
        detail=f"{count} × {BLANK_KIND_NAMES[doc_kind]}: {codes[0]}–{codes[-1]} {batch_label}",
    )
    return codes


def _site_code(session: Session, code: str, site_id: int) -> ReservedCode:
    reserved = reserved_code_to_change(session, site_id, code)
    if reserved is None:
        raise BlankError("Koden finns inte.")
    return reserved


def void_code(*, user: User, code: str, reason: str, sent: SentOnce = NOT_SENT) -> None:
    """Void an unused binder code (lost or spoilt sheet); the same form sent again is one void."""
    if not reason.strip():
        raise BlankError("Ange varför koden makuleras.")

    def write(session: Session) -> None:
        reserved = _site_code(session, code, user.site_id)
        if reserved.used_case_id is not None:
            raise BlankError("Koden är redan använd för ett ärende och kan inte makuleras.")
        if reserved.voided_at is not None:
            raise BlankError("Koden är redan makulerad.")
        if _typed_in_now(session, code, user.site_id):
            # The sheet is in someone's hand, not lost: voided, its referral could not be sent.
            raise BlankError(TYPED_IN_NOW)
        reserved.voided_at = utcnow()
        reserved.voided_by_id = user.id
        reserved.void_reason = reason.strip()[:1000]
        log_event("blank_void", user=user, detail=f"{code}: {reason}")

    sent.store(user.id, "blank_void", write, BlankError)


def _typed_in_now(session: Session, code: str, site_id: int) -> bool:
    """Whether an unsent referral draft of the site is typed from the sheet with this code."""
    drafts = session.scalars(
        select(Draft.data).where(
            Draft.site_id == site_id, Draft.kind == "blank_referral", Draft.is_done.is_(False)
        )
    )
    return any(sheet_code("blank_referral", data) == code for data in drafts)


def attach_blank(
    *,
    user: User,
    code: str,
    case_id: int,
    over_signed: bool = False,
    sent: SentOnce = NOT_SENT,
) -> Case | SubmitResult:
    """Record that a filled-in documentation or report blank belongs to an existing case.

    The sheet's own code then leads to that case at the scan station, so the exam or report
    written on it is typed into the case it belongs to instead of starting a second one.
    A report blank joins a case whose report is already signed only with `over_signed`, the
    tick given having been told so (SignedReportInTheWay): its paper is read for an addendum,
    not typed as a second report. The same form sent again attaches nothing more (its first
    result is returned).
    """

    def write(session: Session) -> Case:
        # PostgreSQL: the case is locked before its incident's end is read, as by its other
        # writes, so a close waits for a waiver lifted here or this finds the incident ended.
        # The case, then the blank: the close's order too (incidents/ending.py, after the
        # incident, which it holds FOR NO KEY UPDATE so that this audit row's reference to it
        # does not wait).
        lock_before_reading(session, Case.__table__, case_id)
        reserved = _site_code(session, code, user.site_id)
        if reserved.doc_kind not in CASE_PART_KINDS:
            raise BlankError("En remissblankett blir ett eget ärende; den kopplas inte.")
        if reserved.voided_at is not None:
            raise BlankError("Blankettens kod är makulerad.")
        if reserved.used_case_id is not None:
            raise BlankError("Blanketten är redan kopplad till ett ärende.")
        case = session.get(Case, case_id)
        if case is None or case.site_id != user.site_id:
            raise BlankError("Ärendet finns inte.")
        if case.status == "cancelled":
            raise BlankError("Ärendet är makulerat. Välj det ärende som gäller.")
        if session.scalar(select(Incident.ended_at).where(Incident.id == case.incident_id)):
            raise BlankError(INCIDENT_ENDED)
        signed = report_is_signed(case.report)
        if reserved.doc_kind == REPORT_BLANK and signed and not over_signed:
            # Read under the case's lock: a report signed since the page was drawn asks too.
            raise SignedReportInTheWay(OVER_SIGNED_NOT_CONFIRMED, code=case.code)
        reserved.used_case_id = case.id
        reserved.joined_over_signed = reserved.doc_kind == REPORT_BLANK and signed
        record = case.catchup
        waived = record is not None and record.waived_at is not None
        # The waiver was given with nothing on the blank to key (no signed report, no exam
        # documented): left standing, the case stays closed, off the worklist and out of the
        # outstanding count, and the incident can end with the paper sheet never typed.
        reopen = None
        if waived and reserved.doc_kind == REPORT_BLANK and not signed:
            reopen = ("report_blank", REPORT_BLANK_AFTER_WAIVER)
        elif waived and reserved.doc_kind == DOC_BLANK and case.exam is None:
            reopen = ("doc_blank", DOC_BLANK_AFTER_WAIVER)
        if reopen is not None:
            # Imported here: the catch-up package's scan station imports this package.
            from ..catchup.reopening import reopen_after_change

            session.flush()
            change, note = reopen
            reopen_after_change(session, case.id, change=change, user=user, note=note)
        log_event(
            "blank_attach",
            user=user,
            case=case,
            detail=f"{CASE_PART_KINDS[reserved.doc_kind]} {code} → {case.code}"
            + (JOINED_OVER_SIGNED if reserved.doc_kind == REPORT_BLANK and signed else ""),
        )
        return case

    return sent.store(user.id, "blank_attach", write, BlankError)
