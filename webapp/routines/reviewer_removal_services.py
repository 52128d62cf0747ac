"""Taking a reviewer's answer out of RIS after its receipt was undone (recorded on the wrong case).

The RIS administrator had entered the answer on the case in RIS before the receipt was undone
(reviewer_undo_services): RIS now holds another patient's report on this case. The app cannot
see RIS; the administrator removes it there and records it here, as a cancelled case's clean-up
is recorded (catchup/clean_up.py). Until then the queue shows the task and the incident cannot
end (incidents/closing.py). Taken after the case is cancelled too: the report is still in RIS.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..models import Case, ReviewerExchange, User, utcnow
from ..models.routines import RemovalTask
from ..storage import lock_before_reading
from ..web import local_time
from .reviewer_services import add_entry
from .services import AlreadyDone, RoutineError, SentForm, logged_once, remember

WRONG_ROLE = "Bara RIS-administratören registrerar att svaret är borttaget ur RIS."
NOT_FOUND = "Posten finns inte."
NOTHING_TO_REMOVE = "Inget felaktigt inlagt svar väntar på att tas bort ur RIS för ärendet."
ALREADY_REMOVED = "Att svaret är borttaget ur RIS är redan registrerat av %(name)s."


class AlreadyRemoved(AlreadyDone):
    """Recorded meanwhile, from another tablet or by another administrator."""


def answer_label(task: RemovalTask) -> str:
    """Which answer a task is about, as the queue and the audit name it."""
    if task.answer is None:
        return f"svar från {task.due.person or 'granskaren'}"
    received = local_time(task.answer.at)
    return f"svar {task.answer_number} från {task.due.person or 'granskaren'}, mottaget {received}"


def record_ris_removal(
    *,
    exchange_id: int,
    task_id: int,
    user: User,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """Record that one undone answer (its task, RemovalTask.due) was removed from the case in
    RIS; the case's other answers in RIS stay to remove. False for a retry."""
    if user.role != "admin":
        raise RoutineError(WRONG_ROLE)

    def write(session: Session) -> None:
        # PostgreSQL: the case first, as every write of the routine locks it (an undo of a
        # second answer at the same moment then comes before or after this, never between).
        case_id = session.scalar(
            select(ReviewerExchange.case_id).where(ReviewerExchange.id == exchange_id)
        )
        if case_id is not None:
            lock_before_reading(session, Case.__table__, case_id)
        exchange = session.get(ReviewerExchange, exchange_id)
        if exchange is None or exchange.site_id != user.site_id:
            raise RoutineError(NOT_FOUND)
        task = next((t for t in exchange.removal_tasks if t.due.id == task_id), None)
        if task is None:
            raise RoutineError(NOTHING_TO_REMOVE)
        if task.removed is not None:
            raise AlreadyRemoved(ALREADY_REMOVED, name=task.removed.user.display_name)
        text = note.strip()[:2000]
        removed = add_entry(session, exchange, user, "ris_removed", utcnow(), note=text)
        removed.refers_to_id = task_id
        log_event(
            "reviewer_ris_removed",
            user=user,
            case=exchange.case,
            detail=f"felaktigt inlagt {answer_label(task)} (extern granskare) borttaget ur RIS"
            + (f": {text[:200]}" if text else ""),
        )
        remember(session, sent, "reviewer_ris_removed", exchange.case_id, user)

    return logged_once(sent, write)
