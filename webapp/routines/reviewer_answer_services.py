"""Writes for the external reviewer's answer: the faxed report received, its copy forwarded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..models import Case, Report, ReportSignature, ReviewerExchange, ReviewerLogEntry, User, utcnow
from ..reporting.faxed import check_faxed_report, write_faxed_report
from ..reporting.over_keyed import ReportShown
from .reviewer_services import (
    ANSWER_FOR_CANCELLED,
    add_entry,
    exchange_of,
    locked_case,
    refuse_before_arrival,
)
from .services import RoutineError, SentForm, logged_once, remember


@dataclass(frozen=True)
class Transcription:
    """The text of a faxed report, keyed in by a radiologist or secretary."""

    state: str
    findings: str
    conclusion: str
    is_urgent: bool
    # The version of the case's typed draft the page showed when the tick replacing it was
    # given (reporting/over_draft.py).
    replaces_draft: int | None = None
    # The report version the answer was drawn against and the one its tick confirmed
    # replacing (reporting/over_keyed.py; None: not checked).
    report_shown: ReportShown | None = None


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
    # Read after the case's lock (locked_case), which every signature's writer takes first too.
    latest = latest_signature(session, exchange.case_id)
    if shown_signature is not None and shown_signature != latest:
        raise ReportedSinceShown(REPORTED_SINCE_SHOWN)
    # The case is in the session, locked (locked_case): no query, and no correction in between.
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


class NotFaxedUnconfirmed(RoutineError):
    """An answer for a case never faxed to the reviewer, its tick not ticked."""


NOT_FAXED_UNCONFIRMED = (
    "Inget fax till den externa granskaren är loggat för ärendet. Kontrollera ärendekoden på "
    "faxet; hör svaret ändå till ärendet, kryssa i rutan och registrera igen."
)


def was_faxed_to_reviewer(session: Session, case_id: int) -> bool:
    """Whether the anonymised referral of the case is logged as faxed to the reviewer."""
    return (
        session.scalar(
            select(ReviewerLogEntry.id)
            .join(ReviewerExchange, ReviewerExchange.id == ReviewerLogEntry.exchange_id)
            .where(ReviewerExchange.case_id == case_id, ReviewerLogEntry.kind == "fax_sent")
            .limit(1)
        )
        is not None
    )


class NoReportEntered(RoutineError):
    """The answer is logged but its text is not in the app: there is no identified report to
    print, and the anonymised answer itself must not go to the referrer."""


NO_REPORT_ENTERED = (
    "Granskarens utlåtande är inte infört i appen än, så det finns inget utlåtande med "
    "patientens namn och personnummer att faxa. För in texten först (radiolog eller "
    "sekreterare), skriv ut det och logga sedan kopian."
)


def has_signed_report(session: Session, case_id: int) -> bool:
    """Whether the case has a signed report, which a copy to the referrer is printed from."""
    return (
        session.scalar(
            select(Report.id).where(
                Report.case_id == case_id, Report.state.in_(("preliminary", "definitive"))
            )
        )
        is not None
    )


def receive_report(
    *,
    case_id: int,
    user: User,
    received_at: datetime,
    reviewer_name: str,
    forwarded_to_referrer: bool,
    transcription: Transcription | None = None,
    unfaxed_confirmed: bool = False,
    shown_identity: int | None = None,
    sent: SentForm | None = None,
) -> bool:
    """The anonymised report came back by fax: log it, forward note, hand it to the RIS admin.

    shown_identity: the case's identity_revision its confirmation showed (None: not checked),
    which a copy to the referrer ticked with the receipt named (see _add_forwarded).

    The transcribed text, the log and the queue are one transaction: a refused text logs
    nothing. An answer for a case never faxed to the reviewer is a mistyped code as often as
    not: it needs unfaxed_confirmed. Returns False when the form was already stored (a retry
    or a twin tap), which writes nothing.
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
        case = locked_case(session, case_id, user, ANSWER_FOR_CANCELLED)
        refuse_before_arrival(case, received_at, "received_at")
        if not unfaxed_confirmed and not was_faxed_to_reviewer(session, case.id):
            raise NotFaxedUnconfirmed(NOT_FAXED_UNCONFIRMED)
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
                replaces_draft=transcription.replaces_draft,
                report_shown=transcription.report_shown,
            )
        exchange = exchange_of(session, case, user)
        note = "utlåtandet infört i appen" if transcription else ""
        add_entry(
            session, exchange, user, "report_received", received_at, person=reviewer_name, note=note
        )
        if forwarded_to_referrer:
            # The case page's rule: the copy is printed from a signed report in the app, here
            # the one this receipt enters or one entered before; without it nothing is stored.
            if not has_signed_report(session, case.id):
                raise NoReportEntered(NO_REPORT_ENTERED)
            fax = case.referral.reply_fax if case.referral else ""
            _add_forwarded(session, exchange, user, utcnow(), fax, shown_identity=shown_identity)
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
        case = locked_case(session, case_id, user)
        exchange = session.scalar(
            select(ReviewerExchange).where(ReviewerExchange.case_id == case.id)
        )
        # A stale page or a second tablet: a copy logged before the answer would mark an
        # answer the referrer never got as forwarded once it comes.
        if exchange is None or not any(e.kind == "report_received" for e in exchange.entries):
            raise NothingToForward(NOTHING_TO_FORWARD)
        if not has_signed_report(session, case.id):
            raise NoReportEntered(NO_REPORT_ENTERED)
        refuse_before_arrival(case, at, "at")
        _add_forwarded(session, exchange, user, at, number, shown_signature, shown_identity)
        log_event("reviewer_report_forwarded", user=user, case=case, detail=number)
        remember(session, sent, "reviewer_forwarded", case.id, user)

    return logged_once(sent, write)
