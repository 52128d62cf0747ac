"""Writes of a case's priority, the radiologist's instruction and urgent-finding calls, made from
the reporting screen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from ..arrival_rule import arrival_after
from ..audit import log_event, record_version, snapshot
from ..cases.errors import CodeGone, VersionConflict
from ..cases.services import REFERRAL_AFTER_KEYING
from ..cases.submissions import (
    NOT_SENT,
    SentOnce,
    SubmitResult,
    find_replay,
    record_submission,
    write_once,
)
from ..cases.versions import ANY_VERSION, ShownVersion, case_form_stale, check_version
from ..config_history import with_earlier_labels
from ..models import Case, UrgentCall, User, utcnow
from ..site_usage import code_gone, stored_config
from ..storage import lock_before_reading
from .faxed import BeforeArrival
from .services import ReportError, load_case

CALL_AFTER_KEYING = (
    "Samtalet till remittenten om det akuta fyndet loggades efter att utlåtandet lagts in i RIS: "
    "lägg in samtalet i RIS."
)
PRIORITY_CHANGED = (
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Prioriteten är inte ändrad – "
    "kontrollera den sparade prioriteten och ändra igen om det behövs."
)
PROTOCOL_CHANGED = (
    "Någon annan har ändrat ärendet sedan du öppnade sidan. Instruktionen är inte sparad – "
    "kontrollera den sparade instruktionen och spara igen om det behövs."
)
PROTOCOL_AFTER_KEYING = (
    "Radiologens instruktion ändrades efter bokningen i RIS: uppdatera bokningen."
)
# Radiologists write it, as they prioritise; change_priority's rule.
PROTOCOL_WRITERS = ("radiologist", "admin")


def change_priority(
    *,
    case_id: int,
    user: User,
    priority: str,
    reason: str,
    shown_case_version: ShownVersion = ANY_VERSION,
    sent: SentOnce = NOT_SENT,
) -> None:
    """Re-prioritise a referral (radiologist), versioned and audited.

    shown_case_version: the case's version the screen showed; a change after another (the
    priority, the referral, the identity; not the instruction) is refused (VersionConflict),
    not put over it.
    The same form sent again (a double tap, a retry) is the one change it made.
    """
    if user.role not in ("radiologist", "admin"):
        raise ReportError("Bara radiologer ändrar prioritet.")

    def write(session: Session) -> None:
        # PostgreSQL: locked before the read, so of two changes at once the second sees the
        # first's priority and version (SQLite's write lock already orders them).
        lock_before_reading(session, Case.__table__, case_id)
        case = load_case(session, case_id)
        # The instruction written since is no part of the priority form.
        if case_form_stale(session, case.id, shown_case_version, case.version):
            raise VersionConflict(PRIORITY_CHANGED)
        if case.priority == priority:
            raise ReportError("Prioriteten är redan den.")
        # Against the configuration as saved now, as every write of a code (site_usage).
        config = stored_config(session, case.site_id)
        gone = code_gone(config, priority=priority)
        if gone is not None:
            raise CodeGone(*gone)
        before = snapshot(case, ("priority", "version"))
        old = case.priority
        case.priority = priority
        case.updated_at = utcnow()
        record_version(case, before, entity="case", case_id=case.id, user=user, reason=reason)
        # The labels staff chose between, as saved now; a priority dropped since the case was
        # made reads as it last did.
        if old not in {p.code for p in config.priorities}:
            config = with_earlier_labels(case.site_id, config)
        labels = f"{config.priority_label(old)} → {config.priority_label(priority)}"
        log_event("priority_change", user=user, case=case, detail=f"{labels}: {reason}")
        # Imported here: the catch-up package's views import this module's callers.
        from ..catchup.reopening import reopen_after_change

        # RIS was booked with the old priority, as after a priority changed on the referral form.
        session.flush()
        reopen_after_change(
            session, case.id, change="referral", user=user, note=REFERRAL_AFTER_KEYING
        )

    sent.store(user.id, "priority_change", write, ReportError)


def write_protocol(
    *,
    case_id: int,
    user: User,
    text: str,
    shown_case_version: ShownVersion = ANY_VERSION,
    sent: SentOnce = NOT_SENT,
) -> None:
    """Write (or clear) the radiologist's instruction to the radiographer, versioned and audited.

    Who wrote it and when are kept on the case for the pages; the earlier text is a version of
    the case, as a priority change is. A change after another of the case is refused.
    """
    if user.role not in PROTOCOL_WRITERS:
        raise ReportError("Bara radiologer skriver instruktionen till röntgensjuksköterskan.")
    text = text.strip()

    def write(session: Session) -> None:
        lock_before_reading(session, Case.__table__, case_id)
        case = load_case(session, case_id)
        check_version(shown_case_version, case.version, PROTOCOL_CHANGED)
        if case.protocol == text:
            raise ReportError("Instruktionen är redan den.")
        before = snapshot(case, ("protocol", "version"))
        had = bool(case.protocol)
        case.protocol = text
        case.protocol_by_id = user.id if text else None
        case.protocol_at = utcnow() if text else None
        case.updated_at = utcnow()
        record_version(case, before, entity="case", case_id=case.id, user=user)
        # The text itself is in the version: the audit log says only what was done.
        done = "borttagen" if not text else ("ändrad" if had else "skriven")
        log_event("protocol_change", user=user, case=case, detail=done)
        # Imported here: the catch-up package's views import this module's callers.
        from ..catchup.reopening import reopen_after_change

        # RIS was booked without it, or with the earlier instruction.
        session.flush()
        reopen_after_change(
            session, case.id, change="referral", user=user, note=PROTOCOL_AFTER_KEYING
        )

    sent.store(user.id, "protocol_change", write, ReportError)


def log_urgent_call(
    *,
    case_id: int,
    user: User,
    called_person: str,
    phone_number: str,
    called_at: datetime,
    note: str,
    form_key: str = "",
    digest: str = "",
    url: str = "",
) -> UrgentCall | None:
    """Record that the referrer was phoned about an urgent finding.

    A form key already used (a double tap, a resend, a twin tap at the same moment) logs nothing
    more and returns None; the same key with other content is refused (SubmissionConflict).
    """

    def write(session: Session) -> UrgentCall | SubmitResult:
        earlier = find_replay(session, form_key, digest) if form_key else None
        if earlier is not None:
            return earlier
        # A call made is recorded even once the incident has ended.
        case = load_case(session, case_id, after_end=True)
        # A call about a finding follows the referral; earlier is a mistyped date or hour.
        arrived = arrival_after(case, called_at)
        if arrived is not None:
            raise BeforeArrival(arrived, "called_at")
        call = UrgentCall(
            case_id=case.id,
            called_person=called_person.strip()[:200],
            phone_number=phone_number.strip()[:40],
            called_at=called_at,
            called_by_id=user.id,
            note=note.strip()[:2000],
        )
        session.add(call)
        if case.incident.ended_at is None:
            # RIS documents the call with the report: a report keyed before the call is keyed
            # again. After the end the call is documented in RIS directly: nothing reopens.
            # Imported here: the catch-up package's views import this module's callers.
            from ..catchup.reopening import reopen_after_change

            session.flush()
            reopen_after_change(session, case.id, change="call", user=user, note=CALL_AFTER_KEYING)
        # UTC, and said so as in the other audit rows: the audit page shows the detail as written.
        detail = f"{called_person.strip()} {called_at:%H:%M} UTC"
        log_event("urgent_call", user=user, case=case, detail=detail)
        if form_key:
            record_submission(
                session,
                key=form_key,
                kind="urgent_call",
                digest=digest,
                url=url,
                case_id=case.id,
                user_id=user.id,
                # The form autosaves (its note): its draft is done with in the same transaction.
                has_draft=True,
            )
        return call

    call = write_once(form_key, digest, write)
    return None if isinstance(call, SubmitResult) else call
