"""The RIS administrator's writes for the external-reviewer routine: the queue, the image routes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..models import Case, ReviewerExchange, RouteStatus, Site, User, utcnow
from ..storage import lock_before_reading, write_transaction
from .reviewer_services import add_entry
from .services import AlreadyDone, RoutineError


class NewAnswer(RoutineError):
    """A faxed answer came in after the administrator's queue was drawn."""


NEW_ANSWER = (
    "Ett nytt svar från granskaren har kommit sedan sidan öppnades. Hantera det också i RIS "
    "och tryck Klar igen."
)


def latest_answer(exchange: ReviewerExchange) -> int:
    """The log entry of the latest faxed answer received (0 if none)."""
    return max((e.id for e in exchange.entries if e.kind == "report_received"), default=0)


def mark_admin_done(
    *, exchange_id: int, user: User, note: str = "", seen_answer: int | None = None
) -> None:
    """The RIS administrator has handled a faxed reviewer report.

    `seen_answer`: the latest answer the queue showed (latest_answer); a later one is refused.
    """
    if user.role != "admin":
        raise RoutineError("Bara administratören bockar av kön.")
    with write_transaction() as session:
        # PostgreSQL: the case is locked first, as by every write of the routine (a report
        # received meanwhile would otherwise wait for this row while holding the case this
        # waits for); of two admins ticking it at once, the second then finds it done.
        case_id = session.scalar(
            select(ReviewerExchange.case_id).where(ReviewerExchange.id == exchange_id)
        )
        if case_id is not None:
            lock_before_reading(session, Case.__table__, case_id)
        exchange = session.get(ReviewerExchange, exchange_id)
        if exchange is None or exchange.site_id != user.site_id:
            raise RoutineError("Posten finns inte.")
        if exchange.queued_for_admin_at is None:
            raise RoutineError("Posten ligger inte i kön.")
        if exchange.admin_done_at is not None:
            raise AlreadyDone("Posten var redan klar – inget dubblerades.")
        if seen_answer is not None and latest_answer(exchange) != seen_answer:
            # Received while the page was open (it stays queued): the admin has not seen it.
            raise NewAnswer(NEW_ANSWER)
        exchange.admin_done_at = utcnow()
        exchange.admin_done_by_id = user.id
        exchange.admin_note = note.strip()[:2000]
        add_entry(session, exchange, user, "admin_done", exchange.admin_done_at, note=note)
        log_event("reviewer_admin_done", user=user, case=exchange.case, detail=note[:200])


def set_route_status(
    *,
    user: User,
    scope: str,
    route_key: str,
    is_working: bool,
    note: str,
    route_name: str = "",
    sent: SentOnce = NOT_SENT,
) -> RouteStatus | SubmitResult:
    """An admin marks an image route as working or not, with a note staff see beside it.

    route_name: the route's name in the site's configuration, for the audit log.

    The same form sent again (a double tap, a retry) is one change, audited once.
    """
    if user.role != "admin":
        raise RoutineError("Bara administratören ändrar vägarnas status.")
    if not is_working and not note.strip():
        raise RoutineError("Skriv varför vägen inte fungerar.")

    def write(session: Session) -> RouteStatus:
        # PostgreSQL: the site row's lock makes a second admin marking a route the first time
        # at the same moment find the first one's row rather than insert another.
        lock_before_reading(session, Site.__table__, user.site_id)
        status = session.scalar(
            select(RouteStatus).where(
                RouteStatus.site_id == user.site_id,
                RouteStatus.scope == scope,
                RouteStatus.route_key == route_key,
            )
        )
        if status is None:
            status = RouteStatus(
                site_id=user.site_id, scope=scope, route_key=route_key, updated_by_id=user.id
            )
            session.add(status)
        status.is_working = is_working
        status.note = note.strip()[:2000] if not is_working else ""
        status.updated_at = utcnow()
        status.updated_by_id = user.id
        state = "fungerar" if is_working else "fungerar inte"
        # Named as the site's configuration names the route, as staff see it beside the route.
        log_event(
            "route_status",
            user=user,
            detail=f"{route_name or f'{scope}/{route_key}'}: {state}"
            + (f" – {note.strip()}" if note.strip() else ""),
        )
        return status

    return sent.store(user.id, "route_status", write, RoutineError)
