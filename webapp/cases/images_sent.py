"""Recording that images left on the modality were sent to PACS afterwards.

The exam was documented during the outage with its images not sent (PACS down) or failed. Once
PACS works the radiographer sends them from the modality and records it here, without the whole
documentation form: a new version of the exam (who, when, why), audited, once per form key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..arrival_rule import to_minute
from ..audit import Actor, log_event, record_change, snapshot_row
from ..models import Case, CatchupRecord, ExamRecord, Incident, User, utcnow
from ..pacs_rule import only_on_modality
from ..storage import lock_before_reading
from ..web import local_time_marked
from .errors import CaseError, CaseNotFound, IncidentEnded
from .submissions import SentOnce, store_once

_EXAM_COLUMNS = tuple(column.key for column in ExamRecord.__table__.c)
_CASE_AND_EXAM = (
    select(
        Case.id,
        Case.site_id,
        Case.incident_id,
        Case.patient_id,
        Case.status,
        Incident.ended_at.label("incident_ended_at"),
        CatchupRecord.id.label("catchup_id"),
        *(ExamRecord.__table__.c[name].label(f"exam_{name}") for name in _EXAM_COLUMNS),
    )
    .join(Incident, Incident.id == Case.incident_id)
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .outerjoin(CatchupRecord, CatchupRecord.case_id == Case.id)
    .where(Case.id == bindparam("case_id"))
)

# The version history's reason, so the history says why only the PACS fields changed.
SENT_REASON = "Bilderna skickade till PACS i efterhand"
NO_EXAM = "Undersökningen är inte dokumenterad: dokumentera den först."
ALREADY_SENT = "Bilderna är redan registrerade som skickade till PACS %(time)s."
# Recorded as sent with no time (a row from before the time was asked for): no dangling space.
ALREADY_SENT_NO_TIME = "Bilderna är redan registrerade som skickade till PACS."
# A comma, not brackets: a start in the repeated autumn hour carries its offset in brackets.
BEFORE_START = "Bilderna kan inte ha skickats före undersökningens start, %(time)s."
# On images_matched, unticked: the match was made before the images were in PACS.
MATCH_AGAIN = "Bilderna skickades till PACS efter att steget markerades: matcha bilderna i PACS."


class SentBeforeStart(CaseError):
    """A send time before the exam started (`at`): a view shows it at the time field."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        super().__init__(BEFORE_START, time=local_time_marked(at))


class AlreadySent(CaseError):
    """The images are recorded as sent already (`at`, None if no time was given)."""

    def __init__(self, at: datetime | None) -> None:
        self.at = at
        if at is None:
            super().__init__(ALREADY_SENT_NO_TIME)
        else:
            super().__init__(ALREADY_SENT, time=local_time_marked(at))


def record_images_sent(*, case_id: int, user: User, sent_at: datetime, submit: SentOnce) -> None:
    """Record the exam's images as sent to PACS at `sent_at` (a new version of the exam).

    Judged on the PACS fields as stored, not on the version the page showed: only they change,
    and an exam form opened meanwhile on another tablet is refused by its own version check
    rather than putting "not sent" back. Images already recorded as sent are refused calmly.
    """
    actor = Actor.of(user)

    def write(session: Session) -> None:
        lock_before_reading(session, Case.__table__, case_id)
        case = session.connection().execute(_CASE_AND_EXAM, {"case_id": case_id}).first()
        if case is None or case.site_id != actor.site_id:
            raise CaseNotFound()
        if case.incident_ended_at is not None:
            raise IncidentEnded()
        if case.status == "cancelled":
            raise CaseError("Ärendet är makulerat.")
        if case.exam_id is None:
            raise CaseError(NO_EXAM)
        if not only_on_modality(case.exam_pacs_status):
            raise AlreadySent(case.exam_pacs_sent_at)
        # To the minute, as the exam form compares: the send is typed to the minute, while a
        # start from the demo or a service call carries seconds.
        if to_minute(sent_at) < to_minute(case.exam_started_at):
            raise SentBeforeStart(case.exam_started_at)
        record_change(
            ExamRecord.__table__,
            case.exam_id,
            snapshot_row(case, _EXAM_COLUMNS, "exam_"),
            {"pacs_status": "yes", "pacs_sent_at": sent_at, "updated_at": utcnow()},
            entity="exam",
            case_id=case.id,
            user=actor,
            reason=SENT_REASON,
        )
        if case.catchup_id is not None:
            _reopen_match(session, case.id, actor)
        log_event("exam_pacs_sent", user=actor, case=case, detail=f"skickade {sent_at.isoformat()}")

    store_once(
        form_key=submit.key,
        digest=submit.digest,
        kind="exam_pacs_sent",
        user_id=actor.id,
        write=write,
        url_of=lambda _none: submit.url,
        case_id=case_id,
    )


def _reopen_match(session: Session, case_id: int, actor: Actor) -> None:
    # Imported here: the catch-up package's views import this module's callers.
    from ..catchup.reopening import reopen_after_change

    reopen_after_change(session, case_id, change="pacs_sent", user=actor, note=MATCH_AGAIN)
