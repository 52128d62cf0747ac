"""Writes for cases: one transaction per user action, with audit and version history."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, exists, select, update
from sqlalchemy import case as sql_case
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit import (
    Actor,
    log_event,
    log_read,
    record_change,
    record_version,
    snapshot,
    snapshot_row,
)
from ..codes import generate_case_code
from ..extensions import db
from ..models import (
    Case,
    Draft,
    ExamRecord,
    Incident,
    Referral,
    ReservedCode,
    Submission,
    User,
    utcnow,
)
from ..storage import insert_row, update_by_key, write_transaction

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


class CaseError(ValueError):
    """An action the rules do not allow, with a message for the user."""


class SubmissionConflict(CaseError):
    """A form key reused with different content."""


class CaseNotFound(CaseError):
    """No such case at the acting user's site; a view answers 404."""

    def __init__(self) -> None:
        super().__init__("Ärendet finns inte.")


class NoOpenIncident(CaseError):
    """The user's site has no open incident to open a case in; a view sends them to declare one."""

    def __init__(self) -> None:
        super().__init__("Registrera eller välj ett pågående driftstopp först.")


@dataclass(frozen=True)
class SubmitResult:
    case_id: int
    url: str
    replayed: bool


def payload_hash(form_data: Mapping[str, Any]) -> str:
    """A stable hash of what was submitted (without the CSRF token)."""
    items = sorted(
        (k, form_data.getlist(k) if hasattr(form_data, "getlist") else form_data[k])
        for k in form_data
        if k != "csrf_token"
    )
    return hashlib.sha256(json.dumps(items, default=str).encode()).hexdigest()


# Statements of the submits, built once: building one and its cache key costs more than the
# query itself on SQLite, and each statement run costs about 0.1 ms of CPU, so a submit reads what
# it checks before writing (its case, the stored result of its form key, whether the tablet
# saved a draft under that key) in one query.
_SUBMISSION_BY_KEY = select(
    Submission.payload_hash, Submission.result_url, Submission.case_id
).where(Submission.key == bindparam("key"))
# Outer-joined on the form key (unique, so at most one row) beside a submit's own columns.
REPLAY_COLUMNS: tuple[ColumnElement[Any], ...] = (
    Submission.payload_hash.label("replay_hash"),
    Submission.result_url.label("replay_url"),
    Submission.case_id.label("replay_case_id"),
    exists().where(Draft.form_key == bindparam("key")).label("has_draft"),
)
REPLAY_JOIN = Submission.key == bindparam("key")
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
    return (
        select(Incident.id.label("incident_id"), Incident.site_id, *REPLAY_COLUMNS, _CODE_IS_TAKEN)
        .outerjoin(Submission, REPLAY_JOIN)
        .where(Incident.ended_at.is_(None), *where)
    )


# An incident chosen by the caller (a binder blank names it)...
_REFERRAL_IN_INCIDENT = _referral_checks(Incident.id == bindparam("incident_id"))
# ...or the tablet's current one: the incident it chose if still open, else the newest open one.
_REFERRAL_IN_CURRENT = (
    _referral_checks(Incident.site_id == bindparam("site_id"))
    .order_by(
        sql_case((Incident.id == bindparam("chosen_id"), 0), else_=1), Incident.started_at.desc()
    )
    .limit(1)
)
_FINISH_DRAFT = update(Draft.__table__).where(Draft.form_key == bindparam("draft_key"))
_EXAM_COLUMNS = tuple(column.key for column in ExamRecord.__table__.c)
# What documenting an exam reads, as plain columns: loading ORM objects costs several times more.
_CASE_AND_EXAM = (
    select(
        Case.id,
        Case.site_id,
        Case.incident_id,
        Case.patient_id,
        Case.status,
        Case.modality,
        *(ExamRecord.__table__.c[name].label(f"exam_{name}") for name in _EXAM_COLUMNS),
        *REPLAY_COLUMNS,
    )
    .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
    .outerjoin(Submission, REPLAY_JOIN)
    .where(Case.id == bindparam("case_id"))
)


def find_replay(session: Session, key: str, digest: str) -> SubmitResult | None:
    """The stored result of a form key already submitted, else None."""
    existing = session.connection().execute(_SUBMISSION_BY_KEY, {"key": key}).first()
    if existing is None:
        return None
    return _replay(existing.payload_hash, existing.result_url, existing.case_id, digest)


def replay_of(row: Row[Any], digest: str) -> SubmitResult | None:
    """The stored result of a form key read with REPLAY_COLUMNS, else None."""
    if row.replay_hash is None:
        return None
    return _replay(row.replay_hash, row.replay_url, row.replay_case_id, digest)


def _replay(stored_hash: str, url: str, case_id: int | None, digest: str) -> SubmitResult:
    if stored_hash != digest:
        raise SubmissionConflict(
            "Formuläret har redan skickats med annat innehåll. Öppna ärendet och ändra där."
        )
    return SubmitResult(case_id=case_id or 0, url=url, replayed=True)


def record_submission(
    session: Session,
    *,
    key: str,
    kind: str,
    digest: str,
    url: str,
    case_id: int,
    user_id: int,
    has_draft: bool = True,
) -> None:
    """Remember a form key's result, so a retry replays it; the form's draft is done with.

    has_draft False (read in the submit's first query) skips looking for a draft to finish.
    """
    insert_row(
        session,
        Submission.__table__,
        {
            "key": key,
            "kind": kind,
            "payload_hash": digest,
            "result_url": url,
            "case_id": case_id,
            "user_id": user_id,
        },
    )
    if has_draft:
        finish_draft(session, key, case_id)


def _replay_after_race(form_key: str, digest: str) -> SubmitResult:
    """Another process (PostgreSQL) stored the same key first: answer with its result."""
    db.session.rollback()
    with write_transaction() as session:
        replay = find_replay(session, form_key, digest)
    if replay is None:
        raise CaseError("Formuläret kunde inte sparas. Försök igen.")
    return replay


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
    reserved = session.scalar(
        select(ReservedCode).where(ReservedCode.code == code, ReservedCode.site_id == site_id)
    )
    if reserved is None:
        raise CaseError("Koden är inte reserverad för en blankett.")
    if reserved.voided_at is not None:
        raise CaseError("Blankettens kod är makulerad.")
    if reserved.used_case_id is not None:
        raise CaseError("Blankettens kod är redan använd för ett ärende.")
    return reserved


def finish_draft(session: Session, form_key: str, case_id: int) -> None:
    """Mark the form's draft (if the tablet saved one) as done, linked to its case."""
    session.connection().execute(
        _FINISH_DRAFT,
        {"draft_key": form_key, "is_done": True, "case_id": case_id, "updated_at": utcnow()},
    )


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
    transaction: chosen_incident_id if it is open at the user's site, else the newest open one.
    """
    actor = Actor.of(user)
    incident_id = incident.id if incident is not None else None
    candidate = code or generate_case_code()
    try:
        with write_transaction() as session:
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
            if not code and checks.code_taken:
                candidate = _new_code(session)
            now = utcnow()
            values = {
                "code": candidate,
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
    except IntegrityError:
        return _replay_after_race(form_key, digest)


def update_referral(
    *,
    case_id: int,
    user: User,
    identity: Mapping[str, Any] | None,
    priority: str,
    modality: str,
    referral: Mapping[str, Any],
) -> dict[str, Any]:
    """Edit a referral; the earlier version is kept with who, when and what changed."""
    with write_transaction() as session:
        case = session.get(Case, case_id)
        if case is None or case.referral is None:
            raise CaseError("Ärendet finns inte.")
        if case.status == "cancelled":
            raise CaseError("Ärendet är makulerat och kan inte ändras.")
        ref = case.referral
        before = snapshot(ref)
        for key, value in referral.items():
            setattr(ref, key, value)
        ref.updated_at = utcnow()
        changes = record_version(ref, before, entity="referral", case_id=case.id, user=user)
        case_before = snapshot(case, ("priority", "modality", *CASE_IDENTITY_FIELDS))
        case.priority = priority
        case.modality = modality
        if identity is not None:
            for key, value in identity.items():
                setattr(case, key, value)
        case_changes = record_version(case, case_before, entity="case", case_id=case.id, user=user)
        if changes or case_changes:
            case.updated_at = utcnow()
            log_event(
                "referral_change",
                user=user,
                case=case,
                detail=", ".join(sorted({*changes, *case_changes})),
            )
        return {**changes, **case_changes}


def correct_identity(
    *, case_id: int, user: User, identity: Mapping[str, Any], reason: str
) -> dict[str, Any]:
    """Replace an identity (e.g. reserve number → real personnummer), versioned and audited."""
    with write_transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseError("Ärendet finns inte.")
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
            detail=f"{old_ref} → {case.patient_id_kind}:{case.patient_id}; {reason}",
        )
        return changes


def document_exam(
    *,
    case_id: int,
    user: User,
    values: Mapping[str, Any],
    form_key: str,
    digest: str,
    url: str,
) -> SubmitResult:
    """Record (or revise) the exam documentation; the case moves to 'exam done'."""
    actor = Actor.of(user)
    try:
        with write_transaction() as session:
            # The case and its exam in one query, read inside the write transaction, with the
            # replay check beside them; the site is checked here too, so a submit needs no load
            # of the case before it.
            case = (
                session.connection()
                .execute(_CASE_AND_EXAM, {"case_id": case_id, "key": form_key})
                .first()
            )
            replay = (
                replay_of(case, digest)
                if case is not None
                else find_replay(session, form_key, digest)
            )
            if replay is not None:
                return replay
            if case is None or case.site_id != actor.site_id:
                raise CaseNotFound()
            if case.status == "cancelled":
                raise CaseError("Ärendet är makulerat.")
            if case.exam_id is None:
                insert_row(
                    session,
                    ExamRecord.__table__,
                    {**values, "case_id": case.id, "documented_by_id": actor.id},
                )
                action, detail = "exam_document", "dokumentation"
            else:
                change = record_change(
                    ExamRecord.__table__,
                    case.exam_id,
                    snapshot_row(case, _EXAM_COLUMNS, "exam_"),
                    {**values, "updated_at": utcnow()},
                    entity="exam",
                    case_id=case.id,
                    user=actor,
                )
                action, detail = "exam_change", ", ".join(sorted(change.fields))
            status = case.status
            if STATUS_ORDER.get(status, 99) < STATUS_ORDER["exam_done"]:
                status = "exam_done"
            update_by_key(
                session,
                Case.__table__,
                case.id,
                {
                    "status": status,
                    "modality": values.get("modality", case.modality),
                    "updated_at": utcnow(),
                },
            )
            record_submission(
                session,
                key=form_key,
                kind="exam",
                digest=digest,
                url=url,
                case_id=case.id,
                user_id=actor.id,
                has_draft=case.has_draft,
            )
            log_event(action, user=actor, case=case, detail=detail)
            return SubmitResult(case_id=case.id, url=url, replayed=False)
    except IntegrityError:
        return _replay_after_race(form_key, digest)


def cancel_case(*, case_id: int, user: User, reason: str) -> None:
    """Cancel a case with a reason; nothing clinical is ever deleted."""
    with write_transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise CaseError("Ärendet finns inte.")
        if case.status == "cancelled":
            raise CaseError("Ärendet är redan makulerat.")
        before = snapshot(case, ("status", "cancelled_reason", "version"))
        case.status = "cancelled"
        case.cancelled_at = utcnow()
        case.cancelled_by_id = user.id
        case.cancelled_reason = reason
        case.updated_at = utcnow()
        record_version(case, before, entity="case", case_id=case.id, user=user, reason=reason)
        log_event("case_cancel", user=user, case=case, detail=reason)


def record_view(case: Case, user: User, action: str = "case_view") -> None:
    """Audit that someone looked at a case (every read of patient data is logged)."""
    log_read(action, user=user, case=case)
