"""Writes for the external-reviewer routine at the case: faxes, image routes, answers, ticks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED
from ..cases.submissions import NOT_SENT, SentOnce
from ..incidents.services import IncidentError, set_step
from ..models import (
    Case,
    Report,
    ReportSignature,
    ReviewerExchange,
    ReviewerLogEntry,
    UrgentCall,
    User,
    utcnow,
)
from ..reporting.faxed import check_faxed_report, write_faxed_report
from .services import RoutineError, SentForm, logged_once, remember


@dataclass(frozen=True)
class Transcription:
    """The text of a faxed report, keyed in by a radiologist or secretary."""

    state: str
    findings: str
    conclusion: str
    is_urgent: bool


def _case(session: Session, case_id: int, user: User) -> Case:
    # Locked (PostgreSQL): a cancel at the same moment reads this log or is read by it, and
    # the first two logs of a case do not both open its exchange (SQLite's lock orders them).
    case = session.get(Case, case_id, with_for_update=True)
    if case is None or case.site_id != user.site_id:
        raise RoutineError("Ärendet finns inte.")
    if case.incident.ended_at is not None:
        raise RoutineError(INCIDENT_ENDED)
    if case.status == "cancelled":
        raise RoutineError("Ärendet är makulerat.")
    return case


def _exchange(session: Session, case: Case, user: User) -> ReviewerExchange:
    exchange = session.scalar(select(ReviewerExchange).where(ReviewerExchange.case_id == case.id))
    if exchange is None:
        exchange = ReviewerExchange(
            site_id=case.site_id,
            incident_id=case.incident_id,
            case_id=case.id,
            created_by_id=user.id,
        )
        session.add(exchange)
        session.flush()
    return exchange


@cache
def _entry_lengths() -> dict[str, int]:
    return {
        c.name: c.type.length
        for c in ReviewerLogEntry.__table__.c
        if isinstance(getattr(c.type, "length", None), int)
    }


def add_entry(
    session: Session, exchange: ReviewerExchange, user: User, kind: str, at: datetime, **values: str
) -> ReviewerLogEntry:
    """One line of the exchange's log, each value cut to its column."""
    entry = ReviewerLogEntry(
        exchange_id=exchange.id,
        kind=kind,
        at=at,
        user_id=user.id,
        # Each within its column: PostgreSQL refuses a longer value (a reviewer's and a
        # referrer's name together may pass the person column).
        **{k: v.strip()[: _entry_lengths().get(k, 2000)] for k, v in values.items()},
    )
    session.add(entry)
    return entry


class ReportedSinceShown(RoutineError):
    """A report was entered after the page was opened: the copy faxed from it lacks that one."""


REPORTED_SINCE_SHOWN = (
    "Ett nytt svar har förts in sedan sidan öppnades, så kopian som faxades saknar det. Faxa "
    "det nya svaret till remittenten och logga sedan kopian."
)


class IdentitySinceShown(RoutineError):
    """The patient's identity was corrected after the page was opened: the copy faxed from it
    named the patient as they were."""


IDENTITY_SINCE_SHOWN = (
    "Patientens identitet har rättats sedan sidan öppnades, så kopian som faxades bär den "
    "tidigare identiteten. Faxa en ny kopia till remittenten och logga sedan kopian."
)


def latest_signature(session: Session, case_id: int) -> int:
    """The id of the case's latest report signature (0: none), which a forwarded copy covers."""
    latest = session.scalar(
        select(func.max(ReportSignature.id))
        .join(Report, Report.id == ReportSignature.report_id)
        .where(Report.case_id == case_id)
    )
    return latest or 0


def _add_forwarded(
    session: Session,
    exchange: ReviewerExchange,
    user: User,
    at: datetime,
    number: str,
    shown_signature: int | None = None,
    shown_identity: int | None = None,
) -> ReviewerLogEntry:
    """The copy to the referrer, covering the report as signed now and the patient as named
    now: a report entered later, or an identity corrected later, needs faxing on, whatever the
    laptop's clock says of the two.

    shown_signature, shown_identity: the latest signature and the case's identity_revision
    the page showed (None: logged with the report itself). A report entered since was not on
    the copy faxed from that page, nor an identity corrected since.
    """
    # Read after the case's lock (_case), which every signature's writer takes first too.
    latest = latest_signature(session, exchange.case_id)
    if shown_signature is not None and shown_signature != latest:
        raise ReportedSinceShown(REPORTED_SINCE_SHOWN)
    # The case is in the session, locked (_case): no query, and no correction in between.
    case = session.get(Case, exchange.case_id)
    revision = case.identity_revision if case is not None else 0
    if shown_identity is not None and shown_identity != revision:
        raise IdentitySinceShown(IDENTITY_SINCE_SHOWN)
    entry = add_entry(
        session, exchange, user, "forwarded", at, number=number, note="kopia till remittenten"
    )
    entry.signature_id = latest or None
    entry.identity_revision = revision
    return entry


def log_fax_sent(
    *,
    case_id: int,
    user: User,
    number: str,
    sent_at: datetime,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """The anonymised referral was faxed to the external reviewer.

    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """
    if not number.strip():
        raise RoutineError("Ange faxnumret.")

    def write(session: Session) -> None:
        case = _case(session, case_id, user)
        exchange = _exchange(session, case, user)
        add_entry(session, exchange, user, "fax_sent", sent_at, number=number, note=note)
        log_event(
            "reviewer_fax_sent",
            user=user,
            case=case,
            detail=f"till {number.strip()} {sent_at:%H:%M} UTC",
        )
        remember(session, sent, "reviewer_fax", case.id, user)

    return logged_once(sent, write)


def log_image_route(
    *,
    case_id: int,
    user: User,
    route_key: str,
    route_name: str,
    outcome: str,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """An image route to the reviewer was tried, with its outcome.

    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """
    if outcome not in ("ok", "failed"):
        raise RoutineError("Ange om överföringen lyckades.")

    def write(session: Session) -> None:
        case = _case(session, case_id, user)
        exchange = _exchange(session, case, user)
        add_entry(
            session,
            exchange,
            user,
            "image_route",
            utcnow(),
            route_key=route_key,
            person=route_name,
            outcome=outcome,
            note=note,
        )
        log_event("reviewer_image_route", user=user, case=case, detail=f"{route_key}: {outcome}")
        remember(session, sent, "reviewer_route", case.id, user)

    return logged_once(sent, write)


def log_verbal_answer(
    *,
    case_id: int,
    user: User,
    reviewer_name: str,
    called_person: str,
    at: datetime,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """The reviewer phoned the referrer with a verbal answer (very urgent cases).

    That call is the urgent call to the referrer: it is logged as one too, so the reminders to
    phone the referrer do not ask for a second call once the faxed report says "urgent".
    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """

    def write(session: Session) -> None:
        case = _case(session, case_id, user)
        exchange = _exchange(session, case, user)
        add_entry(
            session,
            exchange,
            user,
            "verbal_answer",
            at,
            person=f"{reviewer_name.strip()} → {called_person.strip()}",
            note=note,
        )
        # The name as typed may carry the role itself ("Extern granskare X"): it gets its own slot.
        said = f"Muntligt svar från extern granskare: {reviewer_name.strip()} ringde."
        session.add(
            UrgentCall(
                case_id=case.id,
                called_person=called_person.strip()[:200],
                called_at=at,
                called_by_id=user.id,
                note=f"{said} {note.strip()}".strip(),
            )
        )
        log_event(
            "reviewer_verbal_answer",
            user=user,
            case=case,
            detail=f"{reviewer_name} → {called_person}",
        )
        remember(session, sent, "reviewer_verbal", case.id, user)

    return logged_once(sent, write)


def receive_report(
    *,
    case_id: int,
    user: User,
    received_at: datetime,
    reviewer_name: str,
    forwarded_to_referrer: bool,
    transcription: Transcription | None = None,
    sent: SentForm | None = None,
) -> bool:
    """The anonymised report came back by fax: log it, forward note, hand it to the RIS admin.

    The transcribed text, the log and the queue are one transaction: a refused text logs
    nothing. Returns False when the form was already stored (a retry or a twin tap), which
    writes nothing.
    """
    sections = (
        check_faxed_report(
            user,
            transcription.state,
            [
                {"heading": "Fynd", "text": transcription.findings},
                {"heading": "Bedömning", "text": transcription.conclusion},
            ],
        )
        if transcription is not None
        else None
    )

    def write(session: Session) -> None:
        case = _case(session, case_id, user)
        if transcription is not None and sections is not None:
            write_faxed_report(
                session,
                case_id=case.id,
                user=user,
                author_name=reviewer_name,
                received_at=received_at,
                sections=sections,
                state=transcription.state,
                is_urgent=transcription.is_urgent,
            )
        exchange = _exchange(session, case, user)
        note = "utlåtandet infört i appen" if transcription else ""
        add_entry(
            session, exchange, user, "report_received", received_at, person=reviewer_name, note=note
        )
        if forwarded_to_referrer:
            fax = case.referral.reply_fax if case.referral else ""
            _add_forwarded(session, exchange, user, utcnow(), fax)
        exchange.report_received_at = received_at
        if exchange.queued_for_admin_at is None or exchange.admin_done_at is not None:
            exchange.queued_for_admin_at = utcnow()
            exchange.admin_done_at = None
            exchange.admin_done_by_id = None
        log_event(
            "reviewer_report_received",
            user=user,
            case=case,
            detail=f"från {reviewer_name}; till RIS-administratören"
            + ("; vidarebefordrat till remittenten" if forwarded_to_referrer else ""),
        )
        remember(session, sent, "reviewer_report", case.id, user)

    return logged_once(sent, write)


class NothingToForward(RoutineError):
    """No answer from the reviewer is logged yet: there is no report to forward."""


NOTHING_TO_FORWARD = (
    "Inget svar från granskaren är loggat än, så det finns inget att vidarebefordra. Logga "
    "först att utlåtandet har kommit per fax."
)


def log_forwarded(
    *,
    case_id: int,
    user: User,
    number: str,
    at: datetime,
    shown_signature: int | None = None,
    shown_identity: int | None = None,
    sent: SentForm | None = None,
) -> bool:
    """A copy of the faxed report was forwarded to the referring unit.

    shown_signature, shown_identity: what the page showed (see _add_forwarded).
    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """
    if not number.strip():
        raise RoutineError("Ange faxnumret.")

    def write(session: Session) -> None:
        case = _case(session, case_id, user)
        exchange = session.scalar(
            select(ReviewerExchange).where(ReviewerExchange.case_id == case.id)
        )
        # A stale page or a second tablet: a copy logged before the answer would mark an
        # answer the referrer never got as forwarded once it comes.
        if exchange is None or not any(e.kind == "report_received" for e in exchange.entries):
            raise NothingToForward(NOTHING_TO_FORWARD)
        _add_forwarded(session, exchange, user, at, number, shown_signature, shown_identity)
        log_event("reviewer_report_forwarded", user=user, case=case, detail=number)
        remember(session, sent, "reviewer_forwarded", case.id, user)

    return logged_once(sent, write)


def tick_reviewer_step(
    *, incident_id: int, user: User, key: str, label: str, is_done: bool, sent: SentOnce = NOT_SENT
) -> None:
    """A step of the reviewer checklist, logged in the incident log (once per form key)."""
    try:
        set_step(
            incident_id=incident_id,
            user=user,
            step_key=key,
            label=label,
            is_done=is_done,
            sent=sent,
        )
    except IncidentError as exc:
        raise RoutineError(str(exc)) from exc
