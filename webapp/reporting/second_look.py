"""The second look in PACS of a report read on the modality's own screen.

During a PACS outage the acute images are read on the modality, on a lesser screen and without
the earlier exams to compare with. Once the images are in PACS a radiologist looks again and
records it here: when, by whom, and whether it changed anything (an addendum, signed first on
the report screen). A new version of the report, audited, once per form key. The incident may
have ended by then: this is clinical follow-up, not RIS keying, so it is taken after the end.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..audit import Actor, log_event, record_change, snapshot_row
from ..cases.errors import CaseError, CaseNotFound
from ..cases.submissions import SentOnce, store_once
from ..models import Addendum, Case, ExamRecord, Report, User, utcnow
from ..models.report import READ_ON_MODALITY, SECOND_LOOK_OUTCOMES, SIGNING_KINDS
from ..pacs_rule import only_on_modality
from ..second_look_rule import signed_read_on
from ..storage import lock_before_reading
from .services import REPORT_FIELDS, SIGNERS, ReportError

# The version history's reason, so the history says why only these fields changed.
SECOND_LOOK_REASON = "Eftergranskning i PACS"
ONLY_RADIOLOGISTS = "Bara radiologer registrerar eftergranskning i PACS."
UNKNOWN_OUTCOME = "Ange vad eftergranskningen gav."
NOT_READ_ON_MODALITY = (
    "Utlåtandet är inte signerat som granskat på modalitetens skärm: det behöver ingen "
    "eftergranskning i PACS."
)
IMAGES_NOT_IN_PACS = (
    "Bilderna finns bara på modaliteten enligt dokumentationen. Eftergranska när de är "
    "skickade till PACS och det är registrerat på ärendets sida."
)
ADDENDUM_FIRST = "Signera tillägget först (under utlåtandet), registrera sedan eftergranskningen."
ALREADY_LOOKED = "Utlåtandet är redan eftergranskat i PACS %(time)s."
ADDENDUM_BEFORE_PACS = (
    "Tillägget signerades %(signed)s, innan bilderna skickades till PACS (%(sent)s): det är inte "
    "eftergranskningens. Signera först det tillägg eftergranskningen gav, eller välj Ingen ändring."
)

_CASE_AND_REPORT = (
    select(
        Case.id,
        Case.site_id,
        Case.incident_id,
        Case.patient_id,
        Case.status,
        ExamRecord.pacs_status.label("exam_pacs_status"),
        Report.id.label("report_id"),
        *(Report.__table__.c[name].label(f"report_{name}") for name in REPORT_FIELDS),
        select(func.count(Addendum.id))
        .where(Addendum.report_id == Report.id)
        .scalar_subquery()
        .label("addenda"),
        select(func.max(Addendum.signed_at))
        .where(Addendum.report_id == Report.id)
        .scalar_subquery()
        .label("last_addendum_at"),
        ExamRecord.pacs_sent_at.label("exam_pacs_sent_at"),
        # As signed: the report's own read_on follows a save since without a signature.
        signed_read_on().label("signed_read_on"),
    )
    .join(Report, Report.case_id == Case.id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
)


class AlreadyLooked(CaseError):
    """The report was looked at in PACS already (`at`)."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        super().__init__(ALREADY_LOOKED, time=at.isoformat())


class AddendumBeforePacs(ReportError):
    """The outcome "addendum", where the report's addenda were all signed before its images
    reached PACS: none of them can be what the look in PACS found."""

    def __init__(self, signed: datetime, sent: datetime) -> None:
        self.signed = signed
        self.sent = sent
        super().__init__(ADDENDUM_BEFORE_PACS, signed=signed.isoformat(), sent=sent.isoformat())


def record_second_look(*, case_id: int, user: User, outcome: str, submit: SentOnce) -> None:
    """Record that the report, read on the modality, was looked at again in PACS now."""
    if user.role not in SIGNERS:
        raise ReportError(ONLY_RADIOLOGISTS)
    if outcome not in SECOND_LOOK_OUTCOMES:
        raise ReportError(UNKNOWN_OUTCOME)
    actor = Actor.of(user)

    def write(session: Session) -> None:
        lock_before_reading(session, Case.__table__, case_id)
        row = session.connection().execute(_CASE_AND_REPORT, {"case_id": case_id}).first()
        if row is None or row.site_id != actor.site_id:
            raise CaseNotFound()
        if row.status == "cancelled":
            raise ReportError("Ärendet är makulerat.")
        if row.signed_read_on != READ_ON_MODALITY or row.report_state not in SIGNING_KINDS:
            raise ReportError(NOT_READ_ON_MODALITY)
        if row.report_second_look_at is not None:
            raise AlreadyLooked(row.report_second_look_at)
        # No exam documented: the app cannot tell, and the radiologist has the images before
        # them. Documented as not in PACS: nothing to look at there until they are sent.
        if only_on_modality(row.exam_pacs_status):
            raise ReportError(IMAGES_NOT_IN_PACS)
        if outcome == "addendum" and not row.addenda:
            raise ReportError(ADDENDUM_FIRST)
        # The look in PACS cannot come before the images were there: an addendum signed earlier
        # (the night's, read on the modality) is no finding of it. Images in PACS from the start
        # (its viewer was down) leave no such time, and any addendum counts.
        sent = row.exam_pacs_sent_at
        if outcome == "addendum" and sent is not None and row.last_addendum_at < sent:
            raise AddendumBeforePacs(row.last_addendum_at, sent)
        now = utcnow()
        # Only the SECOND_LOOK_COLUMNS: an editor of the report open meanwhile stays current.
        record_change(
            Report.__table__,
            row.report_id,
            snapshot_row(row, REPORT_FIELDS, "report_"),
            {
                "second_look_at": now,
                "second_look_by_id": actor.id,
                "second_look_outcome": outcome,
                "updated_at": now,
            },
            entity="report",
            case_id=row.id,
            user=actor,
            reason=SECOND_LOOK_REASON,
        )
        log_event("report_second_look", user=actor, case=row, detail=outcome)

    store_once(
        form_key=submit.key,
        digest=submit.digest,
        kind="report_second_look",
        user_id=actor.id,
        write=write,
        url_of=lambda _none: submit.url,
        case_id=case_id,
    )
