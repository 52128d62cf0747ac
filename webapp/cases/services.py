"""Writes for cases: one transaction per user action, with audit and version history."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session

from ..audit import Actor, log_event, log_read, record_version, snapshot
from ..codes import generate_case_code
from ..models import Case, Draft, Incident, Referral, ReservedCode, Submission, User, utcnow
from ..storage import insert_row, lock_before_reading, write_transaction
from .errors import CaseError, IncidentEnded, NoOpenIncident, VersionConflict
from .submissions import (
    REPLAY_COLUMNS,
    REPLAY_JOIN,
    SubmitResult,
    find_replay,
    record_submission,
    replay_of,
    write_once,
)
from .versions import (
    ANY_VERSION,
    IDENTITY_CHANGED,
    IDENTITY_CORRECTED_UNDER_EDIT,
    REFERRAL_CHANGED,
    ShownVersion,
    check_version,
    identity_changed_since,
)

CASE_IDENTITY_FIELDS = (
    "patient_name",
    "patient_id_kind",
    "patient_id",
    "patient_sex",
    "patient_birth_date",
    "patient_age_approx",
    "version",
)
# Statuses a case can only move forward from; documenting the exam never moves it back.
STATUS_ORDER = {
    "referral_received": 0,
    "exam_done": 1,
    "report_preliminary": 2,
    "report_definitive": 3,
    "keyed_in_ris": 4,
    "closed": 5,
}


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
    # waits for the close and then finds the incident ended.
    return (
        select(Incident.id.label("incident_id"), Incident.site_id, *REPLAY_COLUMNS, _CODE_IS_TAKEN)
        .outerjoin(Submission, REPLAY_JOIN)
        .where(Incident.ended_at.is_(None), *where)
        .with_for_update(read=True, of=Incident)
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


def _claim_reserved(session: Session, code: str, site_id: int) -> Any:
    # Locked (PostgreSQL): a void of the code at the same moment is read, not overwritten.
    query = select(ReservedCode).where(ReservedCode.code == code, ReservedCode.site_id == site_id)
    reserved = session.scalar(query.with_for_update())
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
) -> SubmitResult:
    """Open a case with its referral; a replayed form key returns the first result.

    Without an incident, the case opens in the user's current one, found inside the write
    transaction: chosen_incident_id if it is open at the user's site, else the newest open one
    (a real outage before a drill).
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
        if checks is None:
            if incident_id is None:
                raise NoOpenIncident()
            raise CaseError("Driftstoppet är avslutat; välj ett pågående driftstopp.")
        site_id = checks.site_id
        reserved = _claim_reserved(session, code, site_id) if code else None
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
        log_event("case_create", user=actor, case=case, detail=f"remiss {case.code}")
        return SubmitResult(case_id=case.id, url=url, replayed=False)

    return write_once(form_key, digest, write)


def lock_open_case(session: Session, case_id: int) -> Case:
    """The case for an edit, refused once its incident has ended (RIS holds it from then on).

    Locked to the end of the transaction on PostgreSQL, so edits of one case cannot both pass
    the version check.
    """
    case = session.get(Case, case_id, with_for_update=True)
    if case is None:
        raise CaseError("Ärendet finns inte.")
    if case.incident.ended_at is not None:
        raise IncidentEnded()
    return case


def _reopen(session: Session, case: Case, change: str, user: User, note: str) -> None:
    # Imported here: the catch-up package's views import this module.
    from ..catchup.reopening import reopen_after_change

    session.flush()
    reopen_after_change(session, case.id, change=change, user=user, note=note)


REFERRAL_AFTER_KEYING = "Remissen ändrades efter bokningen i RIS: uppdatera bokningen."
IDENTITY_AFTER_KEYING = (
    "Patientens identitet rättades efter registreringen i RIS: rätta patienten i RIS och gör "
    "stegen igen."
)


# In the correction's audit row: the user confirmed a number of the other sex than was seen.
OTHER_SEX_CONFIRMED = "annat kön än det angivna, bekräftat som rätt patient"


@dataclass(frozen=True)
class ReferralEdit:
    """What a referral edit changed (field: [old, new]), and whether it replayed an earlier one."""

    changes: dict[str, Any]
    replayed: bool


def update_referral(
    *,
    case_id: int,
    user: User,
    priority: str,
    modality: str,
    referral: Mapping[str, Any],
    form_key: str,
    digest: str,
    url: str,
    shown_version: ShownVersion = ANY_VERSION,
    shown_case_version: ShownVersion = ANY_VERSION,
) -> ReferralEdit:
    """Edit a referral; the earlier version is kept with who, when and what changed.

    The identity is not edited here: correct_identity asks for a reason and audits it.
    """
    with write_transaction() as session:
        # PostgreSQL: the case is locked before the key is looked up, so a twin of this edit
        # waits for the first and then finds its key stored.
        lock_before_reading(session, Case.__table__, case_id)
        # A double tap replays before the version check: its first submit moved the version on.
        if find_replay(session, form_key, digest) is not None:
            return ReferralEdit(changes={}, replayed=True)
        case = lock_open_case(session, case_id)
        if case.referral is None:
            raise CaseError("Ärendet finns inte.")
        if case.status == "cancelled":
            raise CaseError("Ärendet är makulerat och kan inte ändras.")
        ref = case.referral
        # Priority and modality live on the case, which others change too (re-prioritising).
        check_version(shown_version, ref.version, REFERRAL_CHANGED)
        if shown_case_version != case.version and identity_changed_since(
            session, case.id, shown_case_version
        ):
            raise VersionConflict(IDENTITY_CORRECTED_UNDER_EDIT)
        check_version(shown_case_version, case.version, REFERRAL_CHANGED)
        before = snapshot(ref)
        for key, value in referral.items():
            setattr(ref, key, value)
        ref.updated_at = utcnow()
        changes = record_version(ref, before, entity="referral", case_id=case.id, user=user)
        case_before = snapshot(case, ("priority", "modality", "version"))
        case.priority = priority
        case.modality = modality
        case_changes = record_version(case, case_before, entity="case", case_id=case.id, user=user)
        if changes or case_changes:
            case.updated_at = utcnow()
            log_event(
                "referral_change",
                user=user,
                case=case,
                detail=", ".join(sorted({*changes, *case_changes})),
            )
            _reopen(session, case, "referral", user, REFERRAL_AFTER_KEYING)
        record_submission(
            session,
            key=form_key,
            kind="referral_edit",
            digest=digest,
            url=url,
            case_id=case.id,
            user_id=user.id,
        )
        return ReferralEdit(changes={**changes, **case_changes}, replayed=False)


def correct_identity(
    *,
    case_id: int,
    user: User,
    identity: Mapping[str, Any],
    reason: str,
    shown_case_version: ShownVersion = ANY_VERSION,
    form_key: str = "",
    digest: str = "",
    url: str = "",
    other_sex_confirmed: bool = False,
) -> dict[str, Any] | None:
    """Replace an identity (e.g. reserve number → real personnummer), versioned and audited.

    A correction from a screen opened before another change of the case is refused: two
    tablets correcting the same patient must not leave the later one silently in place. The
    same form sent again (a double tap, a resend) changes nothing more and returns None; sent
    again with other content it is refused (SubmissionConflict).
    """
    with write_transaction() as session:
        if form_key and digest:
            # Before the version check, which the first submit moved on; the case is locked
            # first (PostgreSQL), so a twin at the same moment waits and then finds the key.
            lock_before_reading(session, Case.__table__, case_id)
            if find_replay(session, form_key, digest) is not None:
                return None
        case = lock_open_case(session, case_id)
        if case.status == "cancelled":
            # As the referral and the exam: a cancelled case is restored (with a reason) first.
            raise CaseError("Ärendet är makulerat och kan inte ändras.")
        check_version(shown_case_version, case.version, IDENTITY_CHANGED)
        before = snapshot(case, CASE_IDENTITY_FIELDS)
        old_ref = f"{case.patient_id_kind}:{case.patient_id}"
        for key, value in identity.items():
            setattr(case, key, value)
        changes = record_version(
            case, before, entity="case", case_id=case.id, user=user, reason=reason
        )
        if not changes:
            raise CaseError("Identiteten är oförändrad.")
        case.updated_at = utcnow()
        log_event(
            "identity_correct",
            user=user,
            case=case,
            detail=f"{old_ref} → {case.patient_id_kind}:{case.patient_id}; {reason}"
            + (f"; {OTHER_SEX_CONFIRMED}" if other_sex_confirmed else ""),
        )
        _reopen(session, case, "identity", user, IDENTITY_AFTER_KEYING)
        if form_key and digest:
            record_submission(
                session,
                key=form_key,
                kind="identity",
                digest=digest,
                url=url,
                case_id=case.id,
                user_id=user.id,
                has_draft=False,
            )
        if form_key:
            # Only this case's correction draft: a key is never the way to close another form.
            session.execute(
                update(Draft)
                .where(Draft.form_key == form_key, Draft.case_id == case.id)
                .where(Draft.kind == "identity")
                .values(is_done=True, updated_at=utcnow())
            )
        return changes


def record_view(case: Case, user: User, action: str = "case_view") -> None:
    """Audit that someone looked at a case (every read of patient data is logged)."""
    log_read(action, user=user, case=case)
