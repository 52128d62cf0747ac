"""The external reviewer told that a case whose anonymised referral they hold is cancelled.

Recorded as a line of the case's reviewer log ("cancel_told", reviewer_cancel_rule.py), so the
reviewer page's log shows it beside the fax out; audited. Until it is, the cancelled case holds
the incident's close.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..access import CLINICAL
from ..audit import log_event
from ..models import Case, ReviewerExchange, ReviewerLogEntry, User, utcnow
from ..reviewer_cancel_rule import CANCEL_TOLD, reviewer_not_told_clause
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
TOLD_RESENT = "Formuläret har redan skickats med annat innehåll, och meddelandet loggades då."


def log_reviewer_told(
    *, case_id: int, user: User, how: str, form_key: str = "", digest: str = "", url: str = ""
) -> None:
    """Record that the reviewer was told of the case's cancellation, and how.

    Refused unless the case is cancelled with its referral at the reviewer, unanswered and
    not told since the cancellation. A form key already used with the same content writes
    nothing more.
    """
    if user.role not in TOLD_ROLES:
        raise CaseError(WRONG_ROLE)

    def write(session: Session) -> None:
        case = lock_open_case(session, case_id)
        if case.site_id != user.site_id:
            raise CaseError("Ärendet finns inte.")
        untold = session.scalar(
            select(Case.id).where(Case.id == case.id, reviewer_not_told_clause())
        )
        if untold is None:
            raise CaseError(NOTHING_TO_TELL)
        exchange = session.scalars(
            select(ReviewerExchange).where(ReviewerExchange.case_id == case.id)
        ).one()
        said = how.strip()[:200]
        now = utcnow()
        session.add(
            ReviewerLogEntry(
                exchange_id=exchange.id,
                kind=CANCEL_TOLD,
                at=now,
                # Never before the cancellation it answers (reviewer_cancel_rule compares the
                # two): a clock set back since would leave it unread and the close held.
                logged_at=max(now, case.cancelled_at) if case.cancelled_at else now,
                person=said,
                user_id=user.id,
            )
        )
        log_event("reviewer_cancel_told", user=user, case=case, detail=said)

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
