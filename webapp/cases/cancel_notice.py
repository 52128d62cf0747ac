"""Telling the referrer that a cancelled case's exam will not be done (besked om makulering).

During an outage the referrer cannot see in their record that the exam was cancelled, and the
reply they wait for by fax never comes. The notice sheet is faxed to them and its faxing is
recorded as a report's is (reporting/dispatch.py); a double whose referral is answered in
another case needs none, which is recorded with the why. A case whose referrer has neither is
listed on the incident and the catch-up pages until one is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from ..access import CLINICAL
from ..audit import log_event
from ..extensions import db
from ..identity import format_patient_id
from ..models import CancelNotice, Case, User
from ..storage import insert_row
from .errors import CaseError, CaseNotFound, SubmissionConflict
from .submissions import store_once

# Who may cancel may tell the referrer (cases.cancel's roles).
NOTICE_ROLES = CLINICAL
NOT_CANCELLED = "Ärendet är inte makulerat. Det finns inget besked att faxa."
WRONG_ROLE = "Beskedet till remittenten loggas av den som får makulera ärenden."
NO_NUMBER = "Ange faxnumret beskedet skickades till."
NO_TIME = "Ange när beskedet faxades."
NO_WHY = "Skriv varför remittenten inte behöver meddelas."
FAXED_BEFORE_CANCEL = (
    "Faxtiden ligger före makuleringen (%(cancelled)s). Ange när beskedet faxades."
)
NOTICE_RESENT = "Formuläret har redan skickats med annat innehåll, och beskedet loggades då."
# Tablet clocks and a time typed to the minute, as for a report's fax.
CLOCK_TOLERANCE = timedelta(minutes=2)


class FaxedBeforeCancel(CaseError):
    """The fax time lies before the cancellation; `cancelled_at` is that time."""

    def __init__(self, cancelled_at: datetime) -> None:
        super().__init__(FAXED_BEFORE_CANCEL)
        self.cancelled_at = cancelled_at


def notice_message(case: Case) -> str:
    """What the referrer is told of why: the cancel's message to them, else its reason."""
    return case.cancelled_message or case.cancelled_reason


def answers_cancellation() -> ColumnElement[bool]:
    """A notice recorded for the case's cancellation as it stands (not an undone earlier one)."""
    return exists().where(
        CancelNotice.case_id == Case.id, CancelNotice.cancelled_at == Case.cancelled_at
    )


def needs_notice_clause() -> ColumnElement[bool]:
    """Cancelled, and its referrer neither told nor recorded as needing no notice."""
    return (Case.status == "cancelled") & ~answers_cancellation()


@dataclass(frozen=True)
class UnnotifiedCase:
    """A cancelled case whose referrer has not been told, named by code and patient."""

    case_id: int
    code: str
    patient_name: str
    patient_number: str


def unnotified_cases(incident_id: int) -> list[UnnotifiedCase]:
    """The incident's cancelled cases whose referrer was neither told nor needs telling.

    Work left, never a hold on the incident's end: the notice is faxed to the referrer, nothing
    of it goes into RIS, and it can be logged after the end too.
    """
    rows = db.session.execute(
        select(Case.id, Case.code, Case.patient_name, Case.patient_id_kind, Case.patient_id)
        .where(Case.incident_id == incident_id, needs_notice_clause())
        .order_by(Case.cancelled_at, Case.id)
    )
    return [
        UnnotifiedCase(
            r.id, r.code, r.patient_name, format_patient_id(r.patient_id_kind, r.patient_id)
        )
        for r in rows
    ]


def current_notice(case: Case, notices: list[CancelNotice]) -> CancelNotice | None:
    """The last notice answering the case's cancellation as it stands; None when there is none."""
    if case.status != "cancelled" or case.cancelled_at is None:
        return None
    answering = [n for n in notices if _aware(n.cancelled_at) == _aware(case.cancelled_at)]
    return answering[-1] if answering else None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def record_cancel_notice(
    *,
    case_id: int,
    user: User,
    kind: str,
    fax_number: str = "",
    faxed_at: datetime | None = None,
    note: str = "",
    form_key: str = "",
    digest: str = "",
    url: str = "",
) -> None:
    """Record that the referrer was faxed the notice ("faxed"), or why none is needed
    ("not_needed"). A form key already used with the same content writes nothing more.

    Recorded after the incident has ended too: the fax went out during it, or the referrer
    still waits.
    """
    if user.role not in NOTICE_ROLES:
        raise CaseError(WRONG_ROLE)
    number = fax_number.strip()[:40]
    why = note.strip()[:2000]
    if kind == "faxed" and not number:
        raise CaseError(NO_NUMBER)
    if kind == "faxed" and faxed_at is None:
        raise CaseError(NO_TIME)
    if kind == "not_needed" and not why:
        raise CaseError(NO_WHY)
    if kind not in ("faxed", "not_needed"):
        raise ValueError(f"unknown notice kind {kind!r}")

    def write(session: Session) -> None:
        case = session.get(Case, case_id, with_for_update=True)
        if case is None or case.site_id != user.site_id:
            raise CaseNotFound()
        if case.status != "cancelled" or case.cancelled_at is None:
            raise CaseError(NOT_CANCELLED)
        at = faxed_at if kind == "faxed" else None
        if at is not None and _aware(at) < _aware(case.cancelled_at) - CLOCK_TOLERANCE:
            raise FaxedBeforeCancel(case.cancelled_at)
        insert_row(
            session,
            CancelNotice.__table__,
            {
                "case_id": case.id,
                "kind": kind,
                "cancelled_at": case.cancelled_at,
                "message": notice_message(case) if kind == "faxed" else "",
                "fax_number": number if kind == "faxed" else "",
                "faxed_at": at,
                "user_id": user.id,
                "note": why,
                "identity_revision": case.identity_revision,
            },
        )
        detail = (
            f"besked faxat till {number} {at:%H:%M} UTC"
            if at is not None
            else f"besked behövs inte: {why}"
        )
        log_event("cancel_notice", user=user, case=case, detail=detail)

    try:
        store_once(
            form_key=form_key,
            digest=digest,
            kind="cancel_notice",
            user_id=user.id,
            write=write,
            url_of=lambda _none: url,
            case_id=case_id,
            # The form autosaves (its note): its draft is done with in the same transaction.
            has_draft=True,
        )
    except SubmissionConflict as exc:
        raise SubmissionConflict(NOTICE_RESENT, url=exc.url, case_id=exc.case_id) from exc
