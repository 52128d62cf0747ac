"""Writes for the external-reviewer routine at the case: the fax out, image routes, ticks.

The reviewer's answer (the faxed report received, its copy forwarded) is reviewer_answer_services.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..arrival_rule import BEFORE_ARRIVAL, arrival_after, arrival_values
from ..audit import log_event
from ..cases.errors import INCIDENT_ENDED
from ..cases.submissions import NOT_SENT, SentOnce
from ..incidents.services import IncidentError, set_step
from ..incidents.tick_state import AlreadyTicked
from ..models import (
    Case,
    ReviewerExchange,
    ReviewerLogEntry,
    UrgentCall,
    User,
    utcnow,
)
from .labels import OUTCOME_LABELS
from .services import AlreadyDone, FieldRefused, RoutineError, SentForm, logged_once, remember

# The reviewer answered before hearing of the cancellation (reviewer_cancel_rule): the answer
# has no case to go on, and the paper must not be lost in a tray either.
ANSWER_FOR_CANCELLED = (
    "Ärendet är makulerat: svaret registreras inte på det. Stämmer koden med faxet, lämna faxet "
    "till RIS-administratören med en notering om att ärendet är makulerat, och meddela "
    "granskaren att undersökningen är makulerad om det inte redan är loggat på ärendets sida. "
    "Hör svaret till en dubblett av ärendet: registrera det på det ärende som gäller."
)


def locked_case(
    session: Session, case_id: int, user: User, cancelled: str = "Ärendet är makulerat."
) -> Case:
    # Locked (PostgreSQL): a cancel at the same moment reads this log or is read by it, and
    # the first two logs of a case do not both open its exchange (SQLite's lock orders them).
    case = session.get(Case, case_id, with_for_update=True)
    if case is None or case.site_id != user.site_id:
        raise RoutineError("Ärendet finns inte.")
    if case.incident.ended_at is not None:
        raise RoutineError(INCIDENT_ENDED)
    if case.status == "cancelled":
        raise RoutineError(cancelled)
    return case


def refuse_before_arrival(case: Case, at: datetime, field: str) -> None:
    """Refuse, beside `field`, a time of the exchange before the case's referral arrived: the
    reviewer gets the referral, and answers it, after it came."""
    arrived = arrival_after(case, at)
    if arrived is not None:
        raise FieldRefused(field, BEFORE_ARRIVAL, **arrival_values(arrived))


def exchange_of(session: Session, case: Case, user: User) -> ReviewerExchange:
    exchange = session.scalar(select(ReviewerExchange).where(ReviewerExchange.case_id == case.id))
    if exchange is None:
        exchange = ReviewerExchange(
            site_id=case.site_id,
            incident_id=case.incident_id,
            case_id=case.id,
            created_by_id=user.id,
        )
        session.add(exchange)
        session.flush()
    return exchange


@cache
def _entry_lengths() -> dict[str, int]:
    return {
        c.name: c.type.length
        for c in ReviewerLogEntry.__table__.c
        if isinstance(getattr(c.type, "length", None), int)
    }


def add_entry(
    session: Session, exchange: ReviewerExchange, user: User, kind: str, at: datetime, **values: str
) -> ReviewerLogEntry:
    """One line of the exchange's log, each value cut to its column."""
    entry = ReviewerLogEntry(
        exchange_id=exchange.id,
        kind=kind,
        at=at,
        user_id=user.id,
        # Each within its column: PostgreSQL refuses a longer value (a reviewer's and a
        # referrer's name together may pass the person column).
        **{k: v.strip()[: _entry_lengths().get(k, 2000)] for k, v in values.items()},
    )
    session.add(entry)
    return entry


def log_fax_sent(
    *,
    case_id: int,
    user: User,
    number: str,
    sent_at: datetime,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """The anonymised referral was faxed to the external reviewer.

    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """
    if not number.strip():
        raise RoutineError("Ange faxnumret.")

    def write(session: Session) -> None:
        case = locked_case(session, case_id, user)
        refuse_before_arrival(case, sent_at, "sent_at")
        exchange = exchange_of(session, case, user)
        add_entry(session, exchange, user, "fax_sent", sent_at, number=number, note=note)
        log_event(
            "reviewer_fax_sent",
            user=user,
            case=case,
            detail=f"till {number.strip()} {sent_at:%H:%M} UTC",
        )
        remember(session, sent, "reviewer_fax", case.id, user)

    return logged_once(sent, write)


def log_image_route(
    *,
    case_id: int,
    user: User,
    route_key: str,
    route_name: str,
    outcome: str,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """An image route to the reviewer was tried, with its outcome.

    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """
    if outcome not in ("ok", "failed"):
        raise RoutineError("Ange om överföringen lyckades.")

    def write(session: Session) -> None:
        case = locked_case(session, case_id, user)
        exchange = exchange_of(session, case, user)
        add_entry(
            session,
            exchange,
            user,
            "image_route",
            utcnow(),
            route_key=route_key,
            person=route_name,
            outcome=outcome,
            note=note,
        )
        # The route as the page names it; a key the configuration has dropped stays the key.
        said = f"{route_name or route_key}: {OUTCOME_LABELS[outcome]}"
        log_event("reviewer_image_route", user=user, case=case, detail=said)
        remember(session, sent, "reviewer_route", case.id, user)

    return logged_once(sent, write)


def log_verbal_answer(
    *,
    case_id: int,
    user: User,
    reviewer_name: str,
    called_person: str,
    at: datetime,
    note: str = "",
    sent: SentForm | None = None,
) -> bool:
    """The reviewer phoned the referrer with a verbal answer (very urgent cases).

    That call is the urgent call to the referrer: it is logged as one too, so the reminders to
    phone the referrer do not ask for a second call once the faxed report says "urgent".
    Returns False when the form was already stored (a retry or a twin tap): nothing more logged.
    """

    def write(session: Session) -> None:
        case = locked_case(session, case_id, user)
        refuse_before_arrival(case, at, "called_at")
        exchange = exchange_of(session, case, user)
        add_entry(
            session,
            exchange,
            user,
            "verbal_answer",
            at,
            person=f"{reviewer_name.strip()} → {called_person.strip()}",
            note=note,
        )
        # The name as typed may carry the role itself ("Extern granskare X"): it gets its own slot.
        said = f"Muntligt svar från extern granskare: {reviewer_name.strip()} ringde."
        session.add(
            UrgentCall(
                case_id=case.id,
                called_person=called_person.strip()[:200],
                called_at=at,
                called_by_id=user.id,
                note=f"{said} {note.strip()}".strip(),
            )
        )
        log_event(
            "reviewer_verbal_answer",
            user=user,
            case=case,
            detail=f"{reviewer_name} → {called_person}",
        )
        remember(session, sent, "reviewer_verbal", case.id, user)

    return logged_once(sent, write)


def tick_reviewer_step(
    *, incident_id: int, user: User, key: str, label: str, is_done: bool, sent: SentOnce = NOT_SENT
) -> None:
    """A step of the reviewer checklist, logged in the incident log (once per form key)."""
    try:
        set_step(
            incident_id=incident_id,
            user=user,
            step_key=key,
            label=label,
            is_done=is_done,
            sent=sent,
        )
    except AlreadyTicked as exc:
        raise AlreadyDone(exc.message, **exc.values) from exc
    except IncidentError as exc:
        raise RoutineError(exc.message, **exc.values) from exc
