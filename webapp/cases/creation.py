"""Opening a case: its code, its incident and its referral, in one write per form."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from ..audit import Actor, log_event
from ..blanks.queries import reserved_code_to_change
from ..codes import generate_case_code
from ..models import Case, Incident, Referral, ReservedCode, Site, Submission, User, utcnow
from ..site_usage import code_gone
from ..siteconfig import parse_site_config
from ..storage import insert_row
from .arrival_bounds import check_arrival_bounds, confirmed_note
from .errors import CaseError, CodeGone, FormDrillNowReal, FormIncidentEnded, NoOpenIncident
from .namesakes import NAMESAKE_CONFIRMED, check_in_write
from .submissions import (
    REPLAY_COLUMNS,
    REPLAY_JOIN,
    SubmitResult,
    find_replay,
    record_submission,
    replay_of,
    write_once,
)

_CODE_TAKEN = (
    select(Case.id)
    .where(Case.code == bindparam("code"))
    .union_all(select(ReservedCode.id).where(ReservedCode.code == bindparam("code")))
    .limit(1)
)
# Codes printed on blank binder forms are taken too.
_CODE_IS_TAKEN = (
    exists().where(Case.code == bindparam("code"))
    | exists().where(ReservedCode.code == bindparam("code"))
).label("code_taken")


def _referral_checks(*where: Any) -> Any:
    """The incident a referral opens its case in, with the replay and code checks beside it."""
    # FOR SHARE OF the incident (PostgreSQL; SQLite's writes are serial anyway): a close that
    # locks the incident waits for this case to commit and then counts it, or this referral
    # waits for the close and then finds the incident ended. OF the site too: its configuration
    # as saved now, which a save (locking the row) has committed or waits for this case to do
    # (site_usage.stored_config).
    return (
        select(
            Incident.id.label("incident_id"),
            Incident.site_id,
            Incident.started_at.label("incident_started_at"),
            Incident.is_drill,
            Site.config_toml,
            *REPLAY_COLUMNS,
            _CODE_IS_TAKEN,
        )
        .join(Site, Site.id == Incident.site_id)
        .outerjoin(Submission, REPLAY_JOIN)
        .where(Incident.ended_at.is_(None), *where)
        .with_for_update(read=True, of=(Incident, Site))
    )


# An incident chosen by the caller (a binder blank names it)...
_REFERRAL_IN_INCIDENT = _referral_checks(Incident.id == bindparam("incident_id"))
# ...or the tablet's current one: the incident it chose if still open, else the newest open one
# (a real outage before a drill, as current_incident picks it).
_REFERRAL_IN_CURRENT = (
    _referral_checks(Incident.site_id == bindparam("site_id"))
    .order_by(
        sql_case((Incident.id == bindparam("chosen_id"), 0), else_=1),
        Incident.is_drill,
        Incident.started_at.desc(),
        Incident.id.desc(),
    )
    .limit(1)
)


def _new_code(session: Session) -> str:
    conn = session.connection()
    for _ in range(50):
        code = generate_case_code()
        # Codes printed on blank binder forms are taken too: one query for both tables.
        taken = conn.execute(_CODE_TAKEN, {"code": code}).first()
        if taken is None:
            return code
    raise RuntimeError("could not find a free case code")


def _claim_reserved(session: Session, code: str, site_id: int) -> ReservedCode:
    # Locked: a void of the code at the same moment is read, not overwritten.
    reserved = reserved_code_to_change(session, site_id, code)
    if reserved is None:
        raise CaseError("Koden är inte reserverad för en blankett.")
    if reserved.voided_at is not None:
        raise CaseError("Blankettens kod är makulerad.")
    if reserved.used_case_id is not None:
        raise CaseError("Blankettens kod är redan använd för ett ärende.")
    return reserved


def create_case(
    *,
    user: User,
    incident: Incident | None,
    identity: Mapping[str, Any],
    priority: str,
    modality: str,
    referral: Mapping[str, Any],
    form_key: str,
    digest: str,
    url_for_case: Callable[[Case], str],
    code: str | None = None,
    chosen_incident_id: int | None = None,
    audit_note: str = "",
    opened_in: int | None = None,
    arrival_confirmed: bool = False,
    namesake_ticked: bool | None = None,
) -> SubmitResult:
    """Open a case with its referral; a replayed form key returns the first result.

    Without an incident, the case opens in the user's current one, found inside the write
    transaction: chosen_incident_id if it is open at the user's site, else the newest open one
    (a real outage before a drill). opened_in: the incident the form was opened in; once that
    one has ended the referral is refused (FormIncidentEnded), not opened elsewhere.
    arrival_confirmed: the user confirmed an arrival long before the incident it opens in.
    namesake_ticked: whether the box confirmed the identity beside its namesakes; checked again
    here against the incident's cases as committed (NamesakeFound). None: no one to ask (the
    demo's own data), not checked.
    """
    actor = Actor.of(user)
    incident_id = incident.id if incident is not None else None
    candidate = code or generate_case_code()

    def write(session: Session) -> SubmitResult:
        conn = session.connection()
        if incident_id is not None:
            checks = conn.execute(
                _REFERRAL_IN_INCIDENT,
                {"incident_id": incident_id, "key": form_key, "code": candidate},
            ).first()
        else:
            checks = conn.execute(
                _REFERRAL_IN_CURRENT,
                {
                    "site_id": actor.site_id,
                    "chosen_id": chosen_incident_id,
                    "key": form_key,
                    "code": candidate,
                },
            ).first()
        replay = (
            replay_of(checks, digest)
            if checks is not None
            else find_replay(session, form_key, digest)
        )
        if replay is not None:
            return replay
        if opened_in is not None and (checks is None or checks.incident_id != opened_in):
            opened = conn.execute(
                select(Incident.ended_at, Incident.is_drill).where(
                    Incident.id == opened_in, Incident.site_id == actor.site_id
                )
            ).first()
            if opened is not None and opened.ended_at is not None:
                raise FormIncidentEnded(opened_in)
            # Typed on a page marked ÖVNING: a training patient must not land in a real outage
            # declared meanwhile (its board, catch-up and exports) unless the user says so.
            if (
                opened is not None
                and opened.is_drill
                and checks is not None
                and not checks.is_drill
            ):
                raise FormDrillNowReal(opened_in)
        if checks is None:
            if incident_id is None:
                raise NoOpenIncident()
            raise CaseError("Driftstoppet är avslutat; välj ett pågående driftstopp.")
        # Against the incident chosen here: the form could not know which one it opens in.
        early = check_arrival_bounds(
            referral.get("arrived_at"), checks.incident_started_at, confirmed=arrival_confirmed
        )
        site_id = checks.site_id
        gone = code_gone(
            parse_site_config(checks.config_toml, strict=False),
            priority=priority,
            modality=modality,
            exam_code=str(referral.get("exam_code") or ""),
        )
        if gone is not None:
            raise CodeGone(*gone)
        reserved = _claim_reserved(session, code, site_id) if code else None
        # The last lock taken (lock_patients), so no write waits for it while holding another.
        namesake_note = ""
        if namesake_ticked is not None and check_in_write(
            session, checks.incident_id, identity, ticked=namesake_ticked
        ):
            namesake_note = NAMESAKE_CONFIRMED
        case_code = _new_code(session) if not code and checks.code_taken else candidate
        now = utcnow()
        values = {
            "code": case_code,
            "site_id": site_id,
            "incident_id": checks.incident_id,
            "status": "referral_received",
            "priority": priority,
            "modality": modality,
            "created_by_id": actor.id,
            "created_at": now,
            "updated_at": now,
            **identity,
        }
        # Plain INSERTs: the ORM's flush of a new case walks every relationship to cases.
        # `case` is the row as stored, for the caller's URL and the audit row.
        case = Case(id=insert_row(session, Case.__table__, values), **values)
        insert_row(
            session,
            Referral.__table__,
            {**referral, "case_id": case.id, "received_by_id": actor.id},
        )
        if reserved is not None:
            reserved.used_case_id = case.id
        url = url_for_case(case)
        record_submission(
            session,
            key=form_key,
            kind="referral",
            digest=digest,
            url=url,
            case_id=case.id,
            user_id=actor.id,
            has_draft=checks.has_draft,
        )
        notes = [note for note in (audit_note, namesake_note, confirmed_note(early)) if note]
        log_event(
            "case_create",
            user=actor,
            case=case,
            detail="; ".join([f"remiss {case.code}", *notes]),
        )
        return SubmitResult(case_id=case.id, url=url, replayed=False)

    return write_once(form_key, digest, write)
