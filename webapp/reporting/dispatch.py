"""Logging that the signed report was faxed to the referrer (svar faxat till remittent).

Every fallback routine ends with the report faxed to the referrer. A signed report nobody has
logged as faxed stays visible (case page, board, worklist, batch, closing) until it is, and a
later signature (definitive after preliminary, an addendum, a re-signed text) needs faxing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import Actor, log_event
from ..cases.errors import CaseNotFound
from ..models import Case, Report, ReportDispatch, ReportSignature, User
from ..storage import insert_row, write_transaction
from .services import ReportError, load_case

# Whoever stands at the fax: the radiologist, the secretary, and at night the radiographer.
DISPATCH_ROLES = ("radiologist", "secretary", "radiographer")
NOTHING_SIGNED = "Det finns inget signerat utlåtande att faxa."
WRONG_ROLE = "Faxning av svar loggas av radiolog, sekreterare eller röntgensjuksköterska."
NO_NUMBER = "Ange faxnumret svaret skickades till."
SIGNED_SINCE = (
    "Utlåtandet har signerats igen sedan sidan öppnades, så det faxade papperet saknar den nya "
    "signeringen. Skriv ut utlåtandet igen, faxa det och logga sedan faxningen."
)
IDENTITY_CORRECTED_SINCE = (
    "Patientens identitet har rättats sedan sidan öppnades, så det faxade papperet bär den "
    "tidigare identiteten. Skriv ut utlåtandet igen, faxa det och logga sedan faxningen."
)

FAXED_BEFORE_SIGNING = (
    "Faxtiden ligger före signeringen som loggningen gäller (%(signed)s). Det som faxades då "
    "var ett tidigare utlåtande. Skriv ut det signerade utlåtandet, faxa det och ange när det "
    "faxades."
)
# Tablet clocks and a time typed to the minute: a fax logged "now" right after signing passes.
CLOCK_TOLERANCE = timedelta(minutes=2)


class IdentityCorrectedSince(ReportError):
    """The patient's identity was corrected after the page was opened: the sheet faxed from it
    named the patient as they were."""

    def __init__(self) -> None:
        super().__init__(IDENTITY_CORRECTED_SINCE)


class FaxedBeforeSigning(ReportError):
    """The fax time lies before the signature the log would cover; `signed_at` is that time."""

    def __init__(self, signed_at: datetime) -> None:
        super().__init__(FAXED_BEFORE_SIGNING)
        self.signed_at = signed_at


@dataclass(frozen=True)
class DispatchResult:
    """The dispatch logged, or the one already logged for the same signature and number."""

    dispatch_id: int
    replayed: bool


def _digits(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit() or ch == "+")


def log_report_dispatch(
    *,
    case_id: int,
    user: User | Actor,
    fax_number: str,
    faxed_at: datetime,
    note: str = "",
    shown_signature: int | None = None,
    shown_identity: int | None = None,
) -> DispatchResult:
    """Record that the case's signed report, as last signed, was faxed to this number.

    shown_signature is the last signature the page showed (None: a caller without a page). A
    signature since, a definitive one or an urgent addendum, was not on the sheet that was
    faxed, so the log is refused rather than marking it as sent. shown_identity likewise is the
    case's identity_revision the page showed: the sheet faxed from a page opened before an
    identity correction names the patient as they were.

    A second tap (or a second tablet) logging the same signature to the same number at the same
    time gets the first record back rather than a duplicate; a fax sent again later (the first
    did not go through), or after the patient's identity was corrected, is logged as a fax of
    its own.
    """
    actor = Actor.of(user)
    if actor.role not in DISPATCH_ROLES:
        raise ReportError(WRONG_ROLE)
    number = fax_number.strip()[:40]
    if not number:
        raise ReportError(NO_NUMBER)
    with write_transaction() as session:
        # PostgreSQL: the case row stays locked, so two taps cannot both pass the check below.
        session.execute(select(Case.id).where(Case.id == case_id).with_for_update())
        # A fax sent during the incident is recorded even once the incident has ended.
        case = load_case(session, case_id, after_end=True)
        if case.site_id != actor.site_id:
            raise CaseNotFound()
        report = case.report
        if report is None or report.state == "draft":
            raise ReportError(NOTHING_SIGNED)
        signature = session.scalar(
            select(ReportSignature)
            .where(ReportSignature.report_id == report.id)
            .order_by(ReportSignature.id.desc())
            .limit(1)
        )
        if signature is None:
            raise ReportError(NOTHING_SIGNED)
        if shown_signature is not None and shown_signature != signature.id:
            raise ReportError(SIGNED_SINCE)
        if shown_identity is not None and shown_identity != case.identity_revision:
            raise IdentityCorrectedSince()
        signed_at = signing_time(signature)
        if _aware(faxed_at) < signed_at - CLOCK_TOLERANCE:
            raise FaxedBeforeSigning(signed_at)
        latest = session.scalar(
            select(ReportDispatch)
            .where(ReportDispatch.case_id == case.id)
            .order_by(ReportDispatch.id.desc())
            .limit(1)
        )
        if (
            latest is not None
            and latest.signature_id == signature.id
            and _digits(latest.fax_number) == _digits(number)
            and latest.faxed_at == faxed_at
            # The same minute, after an identity correction: the report faxed again.
            and latest.identity_revision == case.identity_revision
        ):
            return DispatchResult(latest.id, replayed=True)
        dispatch_id = insert_dispatch(
            session,
            case=case,
            report=report,
            signature_id=signature.id,
            signed_version=signature.report_version,
            number=number,
            faxed_at=faxed_at,
            actor=actor,
            note=note,
        )
        return DispatchResult(dispatch_id, replayed=False)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def signing_time(signature: ReportSignature) -> datetime:
    """When the signature really happened: on paper for a keyed report, else in the app."""
    return _aware(signature.paper_signed_at or signature.signed_at)


def insert_dispatch(
    session: Session,
    *,
    case: Case,
    report: Report,
    signature_id: int,
    signed_version: int,
    number: str,
    faxed_at: datetime,
    actor: User | Actor,
    note: str = "",
) -> int:
    """The dispatch row and its audit event, in the caller's transaction.

    signed_version is the report's version the signature covers: the sheet faxed carries the
    text as signed, not a save since without a signature.
    """
    addenda = sum(1 for s in report.signatures if s.kind == "addendum")
    dispatch_id: int = insert_row(
        session,
        ReportDispatch.__table__,
        {
            "case_id": case.id,
            "report_id": report.id,
            "signature_id": signature_id,
            "report_state": report.state,
            "report_version": signed_version,
            "addenda_count": addenda,
            "fax_number": number,
            "faxed_at": faxed_at,
            "user_id": actor.id,
            "note": note.strip()[:2000],
            # Read under the case's lock, which an identity correction takes too.
            "identity_revision": case.identity_revision,
        },
    )
    state = {"preliminary": "preliminärt", "definitive": "definitivt"}[report.state]
    log_event(
        "report_dispatch",
        user=actor,
        case=case,
        detail=f"{state} signerat, version {signed_version}"
        + (f" med {addenda} tillägg" if addenda else "")
        + f", fax {number} {faxed_at:%H:%M} UTC",
    )
    return dispatch_id
