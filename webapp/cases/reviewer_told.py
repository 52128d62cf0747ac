"""The external reviewer told that a case whose anonymised referral they hold is cancelled, or,
the cancellation they were told of undone, that the exam is back on.

Recorded as a line of the case's reviewer log ("cancel_told", reviewer_cancel_rule.py;
"back_on_told", reviewer_restore_rule.py), so the reviewer page's log shows it beside the fax
out; audited. Until it is, the case holds the incident's close.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..access import CLINICAL
from ..audit import log_event
from ..models import AuditEvent, Case, ReviewerExchange, ReviewerLogEntry, User, utcnow
from ..reviewer_cancel_rule import CANCEL_TOLD, reviewer_not_told_clause
from ..reviewer_restore_rule import BACK_ON_TOLD, back_on_untold_clause
from .errors import CaseError, SubmissionConflict
from .services import lock_open_case
from .submissions import store_once

# Who may cancel may tell the reviewer of it (cases.cancel's roles).
TOLD_ROLES = CLINICAL
WRONG_ROLE = "Att granskaren meddelats loggas av den som får makulera ärenden."
NOTHING_TO_TELL = (
    "Granskaren är redan meddelad om makuleringen, eller har ingen obesvarad remiss för "
    "ärendet. Inget är loggat."
)
NOTHING_TO_TELL_BACK = (
    "Granskaren är redan meddelad att undersökningen görs ändå, eller meddelades aldrig om "
    "makuleringen. Inget är loggat."
)
TOLD_RESENT = "Formuläret har redan skickats med annat innehåll, och meddelandet loggades då."


def log_reviewer_told(
    *,
    case_id: int,
    user: User,
    how: str,
    back_on: bool = False,
    form_key: str = "",
    digest: str = "",
    url: str = "",
) -> None:
    """Record that the reviewer was told of the case's cancellation (or, `back_on`, that the
    exam is back on after it), and how.

    Refused unless the case is cancelled with its referral at the reviewer, unanswered and
    not told since the cancellation; `back_on`, unless reviewer_restore_rule asks for it. A
    form key already used with the same content writes nothing more.
    """
    if user.role not in TOLD_ROLES:
        raise CaseError(WRONG_ROLE)

    def write(session: Session) -> None:
        case = lock_open_case(session, case_id)
        if case.site_id != user.site_id:
            raise CaseError("Ärendet finns inte.")
        clause = back_on_untold_clause() if back_on else reviewer_not_told_clause()
        untold = session.scalar(select(Case.id).where(Case.id == case.id, clause))
        if untold is None:
            raise CaseError(NOTHING_TO_TELL_BACK if back_on else NOTHING_TO_TELL)
        exchange = session.scalars(
            select(ReviewerExchange).where(ReviewerExchange.case_id == case.id)
        ).one()
        said = how.strip()[:200]
        now = utcnow()
        # Never before what it answers (reviewer_cancel_rule compares the cancellation's time):
        # a clock set back since would leave it unread and the close held, or read as told
        # before the restore.
        answered = _restored_at(session, case) if back_on else case.cancelled_at
        session.add(
            ReviewerLogEntry(
                exchange_id=exchange.id,
                kind=BACK_ON_TOLD if back_on else CANCEL_TOLD,
                at=now,
                logged_at=max(now, answered) if answered else now,
                person=said,
                user_id=user.id,
            )
        )
        action = "reviewer_back_on_told" if back_on else "reviewer_cancel_told"
        log_event(action, user=user, case=case, detail=said)

    try:
        store_once(
            form_key=form_key,
            digest=digest,
            kind="reviewer_told",
            user_id=user.id,
            write=write,
            url_of=lambda _none: url,
            case_id=case_id,
        )
    except SubmissionConflict as exc:
        raise SubmissionConflict(TOLD_RESENT, url=exc.url, case_id=exc.case_id) from exc


def _restored_at(session: Session, case: Case) -> datetime | None:
    """When the case's last restore was audited (at the latest the cancellation told of)."""
    restored = session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.case_id == case.id, AuditEvent.action == "case_restore"
        )
    )
    told = session.scalar(
        select(func.max(ReviewerLogEntry.logged_at))
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .where(ReviewerExchange.case_id == case.id, ReviewerLogEntry.kind == CANCEL_TOLD)
    )
    times = [t for t in (restored, told) if t is not None]
    return max(times) if times else None
