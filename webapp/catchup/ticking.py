"""Ticking a catch-up step done or undone as the secretary keys the case into RIS."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..audit import Actor, log_event
from ..cases.submissions import NOT_SENT, SentOnce
from ..models import CATCHUP_STEPS, Case, CatchupTick, User, utcnow
from ..refusal import Message
from ..reporting.signed import UNSIGNED_EDIT, has_unsigned_edit
from ..storage import insert_row, lock_before_reading
from ..web import local_time_dated
from .once import write_action_once
from .services import (
    CASE_STATE_AND_TICKS,
    CaseNotFound,
    CatchupError,
    StepState,
    latest_states,
    reconcile_if_complete,
    refuse_settled,
    ticks_of,
)
from .shown import STALE_PAGE, shown_token
from .step_labels import STEP_LABELS
from .step_rules import step_blocker, undone_with

# Booked without its accession, the downtime case and its exam in RIS could not be matched.
ACCESSION_MISSING = "Ange accessionsnumret från RIS innan steget markeras som klart."
PRELIMINARY_UNCONFIRMED = (
    "Utlåtandet är bara preliminärt signerat. Bekräfta att det ska läggas in som preliminärt, "
    "eller vänta på det definitiva."
)
UNDO_CHECKED = (
    "Ärendet är kontrollerat av %(name)s. Om steget ångras tas kontrollen bort och måste göras "
    "om: bekräfta att steget ska ångras."
)

# A tick asking for the state the step is in already (another tablet, a page drawn before the
# booking made with the accession): a second row would say the step was done twice in RIS.
ALREADY_DONE = "”%(step)s” är redan klar: inget har ändrats."
NOT_DONE = "”%(step)s” är inte markerat som klart: det finns inget att ångra."

# The page showed the step done by an older tick: a colleague unticked it and ticked it again
# since (redone in RIS). Undone from that page, the newer tick would go unseen.
UNTICK_STALE = (
    "”%(step)s” markerades som klart av %(name)s %(time)s, efter att sidan öppnades. Steget är "
    "inte ångrat: kontrollera det nedan och ångra det igen om det ska ångras."
)

# The steps themselves are listed beside the confirmation, each in the page's language.
UNDO_LATER = "Senare steg bygger på det här och ångras med det: bekräfta att steget ska ångras."
# The confirmation named the later steps as the page was drawn: one a colleague ticked since
# would be undone unnamed, its work in RIS unseen.
UNDO_LATER_STALE = (
    "”%(later_step)s” markerades som klart av %(name)s %(time)s, efter att sidan öppnades, och "
    "skulle ångras med ”%(step)s”. Inget är ångrat: kontrollera stegen nedan och ångra igen om "
    "de ska ångras."
)


class AccessionMissing(CatchupError):
    """'Booked' ticked done with no RIS accession recorded; a view shows it at that field."""

    def __init__(self) -> None:
        super().__init__(ACCESSION_MISSING)


class AlreadyInState(CatchupError):
    """The tick asks for the state the step is in already: nothing is wrong, nothing written."""


class CheckWouldBeLost(CatchupError):
    """Undoing a step of a checked case, unconfirmed: the second secretary's check would go."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(UNDO_CHECKED, name=name)


class LaterStepsWouldGo(CatchupError):
    """Undoing a step that later done steps build on (step_rules.undone_with), unconfirmed or
    confirmed from a page that did not name them all (UNDO_LATER_STALE); later: them all now."""

    def __init__(self, later: list[str], message: str = UNDO_LATER, **params: Any) -> None:
        self.later = later
        super().__init__(message, **params)


class PreliminaryUnconfirmed(CatchupError):
    """'Report keyed' ticked for a preliminary report without its box ticked to confirm it."""

    def __init__(self) -> None:
        super().__init__(PRELIMINARY_UNCONFIRMED)


def refuse_done(
    session: Session, case: Any, step: str, done: set[str], *, shown: str, confirm: bool
) -> None:
    """Raise why `step` may not be ticked done; every way a step is marked done asks this.

    case: its CASE_STATE_AND_TICKS row, read under the case's lock (which save_ris_ids takes
    too: an accession saved meanwhile counts); done: the steps whose latest tick is done;
    shown: the page's shown_token ("" unchecked); confirm: a preliminary report's box ticked.
    """
    has_accession = bool((case.ris_accession or "").strip())
    if step == "booked" and not has_accession:
        raise AccessionMissing()
    blocker = step_blocker(
        step,
        has_exam=case.exam_id is not None,
        pacs_status=case.pacs_status,
        report_state=case.report_state,
        done=done,
        has_accession=has_accession,
    )
    if blocker:
        raise CatchupError(blocker)
    if shown and shown != shown_token(session, case.id):
        raise CatchupError(STALE_PAGE)
    if step == "report_keyed":
        if has_unsigned_edit(session, case.id):
            raise CatchupError(UNSIGNED_EDIT)
        if case.report_state == "preliminary" and not confirm:
            raise PreliminaryUnconfirmed()


def refuse_newer_tick(session: Session, step: str, latest: StepState, shown_tick: str) -> None:
    """Raise UNTICK_STALE when the step's latest tick is not the one the page showed.

    The tick id, not the case's versions (shown_token): a colleague's tick changes none of them.
    """
    if shown_tick == str(latest.id):
        return
    name = session.scalar(select(User.display_name).where(User.id == latest.user_id))
    raise CatchupError(
        UNTICK_STALE,
        step=Message(STEP_LABELS[step]),
        name=name or "",
        time=local_time_dated(latest.at),
    )


def refuse_unnamed_later(
    session: Session, step: str, later: list[str], ticks: list[Any], shown_later: Sequence[str]
) -> None:
    """Raise UNDO_LATER_STALE when the undo would undo a later step the page did not list.

    One listed but undone since is no harm: the user agreed to more than is undone.
    """
    unnamed = [each for each in later if each not in shown_later]
    if not unnamed:
        return
    latest = latest_states(ticks)[unnamed[0]]
    name = session.scalar(select(User.display_name).where(User.id == latest.user_id))
    raise LaterStepsWouldGo(
        later,
        UNDO_LATER_STALE,
        later_step=Message(STEP_LABELS[unnamed[0]]),
        step=Message(STEP_LABELS[step]),
        name=name or "",
        time=local_time_dated(latest.at),
    )


def append_tick(
    session: Session,
    ticks: list[Any],
    case_id: int,
    step: str,
    is_done: bool,
    user_id: int,
    at: datetime,
    note: str = "",
) -> None:
    """Write one tick, and add it to the case's ticks as read (ticks_of), so the state derived
    from them next (reconcile_if_complete) counts it."""
    tick_id = insert_row(
        session,
        CatchupTick.__table__,
        {
            "case_id": case_id,
            "step": step,
            "is_done": is_done,
            "user_id": user_id,
            "note": note,
            "at": at,
        },
    )
    ticks.append((at, tick_id, step, is_done, user_id))


def tick_step(
    *,
    case_id: int,
    user: User,
    step: str,
    is_done: bool,
    four_eyes: bool,
    confirm_preliminary: bool = False,
    confirm_uncheck: bool = False,
    note: str = "",
    shown: str = "",
    shown_tick: str = "",
    shown_later: Sequence[str] | None = None,
    submit: SentOnce = NOT_SENT,
) -> None:
    """Tick or untick one catch-up step (user and time recorded).

    shown: the shown_token of the page the tick came from; a step is not marked done from a
    page older than what RIS is to hold.
    shown_tick: the id of the step's latest tick the page showed ("" unchecked); an untick of a
    newer tick (the step unticked and ticked again since the page was drawn) is refused.
    confirm_uncheck: the user confirmed that undoing a step of a checked case removes the check,
    and undoes the done steps that build on it.
    shown_later: the later steps the confirmation listed (None: no list sent); a confirmed undo
    that would undo one more (ticked since the page was drawn) is refused.
    submit: the form's key; the same tick sent again (a double tap, a retry) is one tick.
    A tick asking for the state the step is in already (done, or not done for an undo) is
    refused as such (ALREADY_DONE, NOT_DONE) and writes nothing, under any key.
    """
    if step not in CATCHUP_STEPS:
        raise CatchupError("Okänt steg.")
    actor = Actor.of(user)

    def write(session: Session) -> None:
        # PostgreSQL: ticks of one case wait for each other, each reading the steps as the
        # other left them, so the last tick finds them all done and the first one alone opens
        # the catch-up record (SQLite's write lock already orders them).
        lock_before_reading(session, Case.__table__, case_id)
        # The site is checked here, inside the write transaction, so a submit needs no load of
        # the case before it.
        rows = session.connection().execute(CASE_STATE_AND_TICKS, {"case_id": case_id}).all()
        if not rows or rows[0].site_id != actor.site_id:
            raise CaseNotFound()
        case = rows[0]
        refuse_settled(case)
        ticks = ticks_of(rows)
        done = {s for s, state in latest_states(ticks).items() if state.is_done}
        if (step in done) == is_done:
            raise AlreadyInState(
                ALREADY_DONE if is_done else NOT_DONE, step=Message(STEP_LABELS[step])
            )
        if not is_done and shown_tick:
            refuse_newer_tick(session, step, latest_states(ticks)[step], shown_tick)
        if is_done:
            refuse_done(session, case, step, done, shown=shown, confirm=confirm_preliminary)
        if not is_done and case.verified_at is not None and not confirm_uncheck:
            # The check vouches for every step: one stray tap must not wipe a colleague's work.
            name = session.scalar(select(User.display_name).where(User.id == case.verified_by_id))
            raise CheckWouldBeLost(name or "")
        # What was done in RIS on this step cannot stand as done once it is undone.
        later = [] if is_done else undone_with(step, done)
        if later and not confirm_uncheck:
            raise LaterStepsWouldGo(later)
        if confirm_uncheck and shown_later is not None:
            refuse_unnamed_later(session, step, later, ticks, shown_later)
        at = utcnow()
        for each in (step, *later):
            note_of = note.strip()[:1000] if each == step else ""
            append_tick(session, ticks, case.id, each, is_done, actor.id, at, note_of)
        reconcile_if_complete(session, case, four_eyes, ticks=latest_states(ticks))
        also = f" (även {', '.join(STEP_LABELS[s] for s in later)})" if later else ""
        log_event(
            "catchup_step",
            user=actor,
            case=case,
            detail=f"{STEP_LABELS[step]}: {'klar' if is_done else 'ångrad'}{also}",
        )

    write_action_once(submit, kind="catchup_step", case_id=case_id, user_id=actor.id, write=write)
