"""Moving a case to another open incident of its site: a real patient taken into a drill, or a
case put in the wrong one of two open outages.

Left where it was, such a case is lost from the catch-up: a drill's cases are fictional by
definition (exports of the real outage leave them out, the CSV marks them ÖVNING), and each
outage's catch-up lists its own cases only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..arrival_bound_rule import MOVE_TOO_EARLY, arrived_too_early
from ..audit import log_event, record_version, snapshot
from ..extensions import db
from ..incident_log_labels import MOVED_FROM, MOVED_FROM_DRILL, MOVED_TO, MOVED_TO_DRILL
from ..models import (
    Case,
    Draft,
    ImageRelease,
    ImageTransfer,
    Incident,
    IncidentLogEntry,
    RecordVersion,
    ReleaseRisNote,
    ReviewerExchange,
    User,
    utcnow,
)
from ..refusal import Message
from ..storage import insert_row
from ..web import local_time
from .arrival_bounds import confirmed_note
from .cancelling import changed_since_shown, has_release
from .errors import ArrivalBeforeIncident, CaseError, SubmissionConflict
from .moving_drill import restart_drill_catchup
from .namesakes import NAMESAKE_CONFIRMED, check_in_write
from .services import lock_open_case
from .submissions import NOT_SENT, SentOnce, store_once

# in_drill: every sheet prints ÖVNING by it (Case.in_drill), so the print rules see the change.
MOVE_FIELDS = ("incident_id", "in_drill", "version")

TARGET_GONE = "Driftstoppet du valde finns inte här. Välj ett annat."
TARGET_ENDED = "Driftstoppet du valde är avslutat. Välj ett pågående driftstopp."
SAME_INCIDENT = "Ärendet ligger redan i det driftstoppet."
# A release in a real outage put a real disc or transfer in a real recipient's hands, to be
# written in the case's referral notes in RIS: in a drill nothing is keyed into RIS, and the
# release would leave the real outage's catch-up and no longer hold its close. As a cancel is
# refused (cancelling.RELEASED_NO_CANCEL), the waiver is what takes the case out of RIS.
RELEASED_NOT_TO_DRILL = (
    "Bilderna är utlämnade från ärendet i ett skarpt driftstopp och det kan inte flyttas till "
    "en övning: utlämnandet ska skrivas i remissanteckningen i RIS, vilket en övnings ärenden "
    "aldrig blir. Ligger det i fel driftstopp, flytta det till ett annat skarpt driftstopp. Ska "
    "det inte läggas in i RIS tar sekreteraren undan det i efterregistreringen, med en motivering."
)
CHANGED_SINCE_OPENED = (
    "Ärendet har ändrats sedan sidan öppnades: %(what)s. Det är inte flyttat – läs igenom "
    "ärendet nedan och tryck Flytta igen om det ändå ska flyttas."
)
MOVE_RESENT = "Formuläret har redan skickats med annat innehåll, och ärendet flyttades då."


def incident_name(incident_id: int, is_drill: bool) -> str:
    """An incident as the log and the case page name it: its number, and a drill said so."""
    return f"driftstopp {incident_id}{' (övning)' if is_drill else ''}"


def move_targets(case: Case) -> list[Incident]:
    """The open incidents of the case's site it may move to, the newest first."""
    if case.incident.ended_at is not None:
        return []
    return list(
        db.session.scalars(
            select(Incident)
            .where(
                Incident.site_id == case.site_id,
                Incident.ended_at.is_(None),
                Incident.id != case.incident_id,
            )
            .order_by(Incident.started_at.desc(), Incident.id.desc())
        )
    )


def _target(session: Session, case: Case, target_id: int) -> Incident:
    # Locked (PostgreSQL) against an end of the target in the same moment. FOR SHARE, not FOR
    # UPDATE: a correction in the target holding its patients (lock_patients) writes an audit
    # row naming the target, whose key lock would wait for this one while this move waits
    # for its patients.
    target = session.get(Incident, target_id, with_for_update={"read": True})
    if target is None or target.site_id != case.site_id:
        raise CaseError(TARGET_GONE)
    if target.id == case.incident_id:
        raise CaseError(SAME_INCIDENT)
    if target.ended_at is not None:
        raise CaseError(TARGET_ENDED)
    if target.is_drill and not case.incident.is_drill and has_release(session, case.id):
        raise CaseError(RELEASED_NOT_TO_DRILL)
    return target


def _arrival_bound(case: Case, target: Incident, confirmed: bool) -> str:
    """The target's start (site time) when the referral arrived over a day before it and
    `confirmed` says the arrival is right, for the audit row; "" when it lies within the bound.

    As a new referral in that outage is asked (arrival_bounds): unasked, a case could sit in an
    outage it arrived days before, which is most often a typo in the arrival's date.
    """
    arrived = case.referral.arrived_at if case.referral is not None else None
    if arrived is None or not arrived_too_early(arrived, target.started_at):
        return ""
    started = local_time(target.started_at)
    if not confirmed:
        raise ArrivalBeforeIncident(MOVE_TOO_EARLY, arrived=local_time(arrived), started=started)
    return started


def _take_along(session: Session, case_id: int, source_id: int, target_id: int) -> None:
    """The case's open drafts and routine records follow it: each outage counts its own at the
    close and in the follow-up, and one left behind would hold up the wrong outage."""
    for table in (Draft, ReviewerExchange, ImageTransfer, ImageRelease):
        session.execute(
            update(table)
            .where(table.case_id == case_id, table.incident_id == source_id)
            .values(incident_id=target_id)
        )


def _releases_due_in_ris(session: Session, case_id: int, source_id: int, user: User) -> list[int]:
    """Make the releases a case takes out of a drill into a real outage due in RIS, none of
    them recorded as written there; the ids of those changed.

    Nothing of a drill is keyed into RIS: a release there "written in RIS at once" (RIS working
    and the case booked in the drill's catch-up, release_services._note_due) or ticked as
    written was practice. A real patient's disc is to be written in the referral notes, listed
    in the catch-up and holding the real outage's close until a secretary records it written.
    """
    changed = []
    releases = session.scalars(
        select(ImageRelease)
        .where(ImageRelease.case_id == case_id, ImageRelease.incident_id == source_id)
        .order_by(ImageRelease.id)
    )
    for release in releases:
        latest = session.scalars(
            select(ReleaseRisNote.is_done)
            .where(ReleaseRisNote.release_id == release.id)
            # By id, not time: the laptop's clock may have been set back between two.
            .order_by(ReleaseRisNote.id.desc())
            .limit(1)
        ).first()
        if release.ris_note_due and not latest:
            continue
        release.ris_note_due = True
        if latest:
            # Appended as the tick's own undo is: the drill's record stays in the history.
            insert_row(
                session,
                ReleaseRisNote.__table__,
                {"release_id": release.id, "is_done": False, "note": "", "user_id": user.id},
            )
        changed.append(release.id)
    return changed


def _log_entries(
    session: Session, case: Case, source: Incident, target: Incident, user: User, reason: str
) -> None:
    """An entry in each incident's log: the source's tells where its case went, and why."""
    rows = (
        (
            source.id,
            (MOVED_TO_DRILL if target.is_drill else MOVED_TO)
            % {"code": case.code, "number": target.id},
        ),
        (
            target.id,
            (MOVED_FROM_DRILL if source.is_drill else MOVED_FROM)
            % {"code": case.code, "number": source.id},
        ),
    )
    for incident_id, label in rows:
        session.add(
            IncidentLogEntry(
                incident_id=incident_id,
                step_key=IncidentLogEntry.CASE_MOVE,
                label=label[:300],
                is_done=True,
                note=reason,
                user_id=user.id,
            )
        )


def _due_note(release_ids: list[int]) -> str:
    """The audit's note on the releases the move made due in RIS; "" for none."""
    if not release_ids:
        return ""
    numbers = ", ".join(f"#{n}" for n in release_ids)
    return f"remissanteckning för utlämnande {numbers} ska föras in i RIS"


def move_case(
    *,
    case_id: int,
    user: User,
    target_id: int,
    reason: str,
    shown: str = "",
    sent: SentOnce = NOT_SENT,
    arrival_confirmed: bool = False,
    namesake_ticked: bool = False,
) -> None:
    """Move a case to another open incident of its site, with a reason, in one transaction.

    Refused when its incident or the target has ended, the target is of another site or is its
    own, or the case changed since the page it was sent from (shown, as a cancel is judged).
    A form key already used with the same content (a double tap) writes nothing more.
    arrival_confirmed: the user confirmed a referral's arrival long before the target began.
    namesake_ticked: the box confirmed the patient beside the target's cases sharing the number
    or the name; unticked, such a case found now refuses the move (NamesakeFound).
    """

    def write(session: Session) -> None:
        case = lock_open_case(session, case_id)
        target = _target(session, case, target_id)
        if shown:
            names = changed_since_shown(session, case.id, shown)
            if names:
                raise CaseError(CHANGED_SINCE_OPENED, what=Message.joined(names, ", "))
        early = _arrival_bound(case, target, arrival_confirmed)
        # Asked as a referral of this patient in the target would be: moved in unasked, the
        # case stands beside another patient's under one number (or one name). The last lock
        # taken (lock_patients), so no write waits for it while holding another.
        namesake = check_in_write(
            session,
            target.id,
            {
                "patient_id_kind": case.patient_id_kind,
                "patient_id": case.patient_id,
                "patient_name": case.patient_name,
            },
            ticked=namesake_ticked,
            exclude_case_id=case.id,
        )
        source = case.incident
        before = snapshot(case, MOVE_FIELDS)
        # Both: the column for the version's snapshot, the relationship for in_drill, each
        # read before any flush would align the other.
        case.incident_id = target.id
        case.incident = target
        case.updated_at = utcnow()
        record_version(case, before, entity="case", case_id=case.id, user=user, reason=reason)
        into_real = source.is_drill and not target.is_drill
        made_due = _releases_due_in_ris(session, case.id, source.id, user) if into_real else []
        _take_along(session, case.id, source.id, target.id)
        _log_entries(session, case, source, target, user, reason)
        restarted = restart_drill_catchup(session, case, user, reason) if into_real else ""
        # The confirmation before the reason: a long reason is what the column's limit cuts.
        notes = [
            confirmed_note(early),
            NAMESAKE_CONFIRMED if namesake else "",
            _due_note(made_due),
            restarted,
        ]
        detail = (
            f"{incident_name(source.id, source.is_drill)} → "
            f"{incident_name(target.id, target.is_drill)}"
            f"{''.join(', ' + n for n in notes if n)}: {reason}"
        )
        log_event("case_move", user=user, case=case, incident_id=target.id, detail=detail[:1000])

    try:
        store_once(
            form_key=sent.key,
            digest=sent.digest,
            kind="case_move",
            user_id=user.id,
            write=write,
            url_of=lambda _none: sent.url,
            case_id=case_id,
            # The reason autosaves (draft kind "move"): its draft is done with the move.
            has_draft=True,
        )
    except SubmissionConflict as exc:
        raise SubmissionConflict(MOVE_RESENT, url=exc.url, case_id=exc.case_id) from exc


@dataclass(frozen=True)
class Move:
    """One move of a case between incidents, for its page."""

    at: datetime
    by: str
    source_id: int
    source_is_drill: bool
    target_id: int
    target_is_drill: bool
    reason: str


def moves_of(case_id: int) -> list[Move]:
    """The case's moves between incidents, the last first, read from its version history."""
    rows = db.session.execute(
        select(RecordVersion, User.display_name)
        .outerjoin(User, User.id == RecordVersion.changed_by_id)
        .where(RecordVersion.entity == "case", RecordVersion.entity_id == case_id)
        .order_by(RecordVersion.id.desc())
    ).all()
    moves = []
    for version, name in rows:
        changes = version.changes or {}
        if "incident_id" not in changes:
            continue
        source, target = changes["incident_id"]
        # Between two drills or two real outages the mark did not change: as it was before.
        was = bool((version.data or {}).get("in_drill"))
        now = bool(changes["in_drill"][1]) if "in_drill" in changes else was
        moves.append(
            Move(version.changed_at, name or "", int(source), was, int(target), now, version.reason)
        )
    return moves
