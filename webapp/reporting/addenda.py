"""Addenda to a definitive report: signed by a radiologist, each with its own signature."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.errors import VersionConflict
from ..cases.submissions import SubmitResult, find_replay, record_submission, write_once
from ..models import Addendum, ReportSignature, User, utcnow
from .services import SIGNERS, ReportError, _reopen, load_case

ADDENDUM_AFTER_KEYING = (
    "Ett tillägg signerades efter att utlåtandet lagts in i RIS: lägg in tillägget."
)
# Signed unseen, an addendum may repeat a colleague's or contradict it; the referrer gets both.
ADDENDUM_SINCE_SHOWN = (
    "%(name)s har signerat ett tillägg sedan sidan öppnades. Ditt tillägg är inte signerat – "
    "läs det nya tillägget och signera igen om ditt ändå ska läggas till."
)
# Written beside the name the screen showed: signed under a corrected one, it would go to the
# referrer as another patient's finding.
ADDENDUM_IDENTITY_CORRECTED = (
    "Patientens identitet har rättats sedan du öppnade sidan – se patienten överst. Tillägget "
    "är inte signerat: kontrollera att det gäller den patienten och signera igen."
)


class AddendumSinceShown(ReportError):
    """An addendum was signed after the screen was opened: this one is refused, its text kept."""


def add_addendum(
    *,
    case_id: int,
    user: User,
    text: str,
    is_urgent: bool = False,
    form_key: str = "",
    digest: str = "",
    url: str = "",
    shown_addenda: int | None = None,
    shown_identity: int | None = None,
) -> Addendum | None:
    """Add a signed addendum to a definitive report.

    An urgent one (a new urgent finding) needs its own call to the referrer, logged after it.

    A form key already used (a retry, a second tap) signs nothing more and returns None.
    shown_addenda: how many addenda the screen showed (None: not known); one signed since
    refuses it (AddendumSinceShown). shown_identity: the case's identity_revision the screen
    showed (None: not checked); a screen drawn before the patient's identity was corrected is
    refused (VersionConflict).
    """
    if user.role not in SIGNERS:
        raise ReportError("Bara radiologer signerar tillägg.")
    text = text.strip()
    if not text:
        raise ReportError("Skriv tillägget.")

    def write(session: Session) -> Addendum | SubmitResult:
        earlier = find_replay(session, form_key, digest) if form_key else None
        if earlier is not None:
            return earlier
        case = load_case(session, case_id)
        report = case.report
        if report is None or report.state != "definitive":
            raise ReportError("Tillägg skrivs till ett definitivt signerat utlåtande.")
        if shown_identity is not None and shown_identity != case.identity_revision:
            raise VersionConflict(ADDENDUM_IDENTITY_CORRECTED)
        if shown_addenda is not None and len(report.addenda) != shown_addenda:
            latest = report.addenda[-1] if report.addenda else None
            name = latest.author.display_name if latest is not None else ""
            raise AddendumSinceShown(ADDENDUM_SINCE_SHOWN, name=name)
        number = len(report.addenda) + 1
        addendum = Addendum(
            report_id=report.id, text=text[:20000], author_id=user.id, is_urgent=is_urgent
        )
        session.add(addendum)
        session.flush()
        session.add(
            ReportSignature(
                report_id=report.id,
                kind="addendum",
                user_id=user.id,
                signer_name=user.display_name,
                report_version=report.version,
                content_hash=hashlib.sha256(addendum.text.encode()).hexdigest(),
            )
        )
        case.updated_at = utcnow()
        # Which addendum and how long, as a signature's row says its version: the access log is
        # read by admins and exported, and must not become a second copy of the report.
        size = f"{number}, {len(addendum.text)} tecken"
        detail = f"Akut fynd, tillägg {size}" if is_urgent else f"Tillägg {size}"
        log_event("report_addendum", user=user, case=case, detail=detail)
        if form_key:
            record_submission(
                session,
                key=form_key,
                kind="addendum",
                digest=digest,
                url=url,
                case_id=case.id,
                user_id=user.id,
            )
        session.flush()
        _reopen(session, case.id, user, ADDENDUM_AFTER_KEYING)
        return addendum

    addendum = write_once(form_key, digest, write)
    return None if isinstance(addendum, SubmitResult) else addendum
