"""Writing the audit trail and the version history; called by services inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from flask import current_app, g, has_request_context, request
from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session

from .extensions import db
from .models import AuditEvent, Case, RecordVersion, User, utcnow
from .storage import append_rows, insert_row, update_by_key, update_row
from .storage_errors import StorageUnavailable, write_was_refused


class CaseRef(Protocol):
    """What an audit row names of a case: a Case, or a query row with these columns."""

    @property
    def id(self) -> int: ...
    @property
    def site_id(self) -> int: ...
    @property
    def incident_id(self) -> int: ...
    @property
    def patient_id(self) -> str: ...


@dataclass(frozen=True)
class Actor:
    """The acting user as plain values.

    A write transaction starts by expiring everything the request loaded; services read the
    user's values before it, so the audit row does not cost a reload of the user.
    """

    id: int
    username: str
    role: str
    site_id: int
    display_name: str

    @classmethod
    def of(cls, user: User | Actor) -> Actor:
        """The values of a user (loaded, or loaded now)."""
        if isinstance(user, Actor):
            return user
        return cls(user.id, user.username, user.role, user.site_id, user.display_name)


def _request_user() -> User | None:
    return g.get("user") if has_request_context() else None


def _event_values(
    action: str,
    *,
    user: User | Actor | None,
    case: CaseRef | None,
    incident_id: int | None,
    detail: str,
    site_id: int | None,
    patient_ref: str = "",
    anonymous: bool = False,
) -> dict[str, Any]:
    actor = user if user is not None else _request_user()
    if anonymous:
        # Someone not known (a failed login) acted at a tablet where another user may still be
        # logged in: the row must not be in that user's name, but stays in that site's log.
        site_id = site_id or (actor.site_id if actor else None)
        actor = None
    return {
        "user_id": actor.id if actor else None,
        "username": actor.username if actor else "",
        "role": actor.role if actor else "",
        "site_id": site_id
        or (case.site_id if case else None)
        or (actor.site_id if actor else None),
        "care_unit": g.get("care_unit", "") if has_request_context() else "",
        "remote_addr": (request.remote_addr or "")[:64] if has_request_context() else "",
        "action": action,
        "case_id": case.id if case else None,
        "incident_id": incident_id
        if incident_id is not None
        else (case.incident_id if case else None),
        # A patient with no case in the app (e.g. an image transfer) is named as typed.
        "patient_ref": (case.patient_id if case else patient_ref)[:40],
        "detail": detail[:DETAIL_LENGTH],
    }


def log_event(
    action: str,
    *,
    user: User | Actor | None = None,
    case: CaseRef | None = None,
    incident_id: int | None = None,
    detail: str = "",
    site_id: int | None = None,
    patient_ref: str = "",
    anonymous: bool = False,
) -> int:
    """Write one audit row in the current transaction (committed or rolled back with it);
    returns its id.

    anonymous: no user did it (a login with an unknown username), whoever is logged in.
    """
    values = _event_values(
        action,
        user=user,
        case=case,
        incident_id=incident_id,
        detail=detail,
        site_id=site_id,
        patient_ref=patient_ref,
        anonymous=anonymous,
    )
    return int(insert_row(db.session, AuditEvent.__table__, values))


def read_event_row(
    action: str,
    *,
    user: User | None = None,
    case: Case | None = None,
    incident_id: int | None = None,
    detail: str = "",
    patient_ref: str = "",
) -> tuple[Any, dict[str, Any]]:
    """An audit row for `append_rows`, with its time taken now."""
    values = _event_values(
        action,
        user=user,
        case=case,
        incident_id=incident_id,
        detail=detail,
        site_id=None,
        patient_ref=patient_ref,
    )
    return AuditEvent.__table__, {**values, "at": utcnow()}


def log_read(
    action: str,
    *,
    user: User | None = None,
    case: Case | None = None,
    incident_id: int | None = None,
    detail: str = "",
    patient_ref: str = "",
) -> None:
    """Record a read, print, export or scan of patient data, committed before returning.

    Reads come many at once (every tablet's board, every case opened), so their audit rows
    share one commit (group commit) instead of queueing for a transaction each.
    """
    row = read_event_row(
        action,
        user=user,
        case=case,
        incident_id=incident_id,
        detail=detail,
        patient_ref=patient_ref,
    )
    _append_read_rows(action, [row])


def _append_read_rows(action: str, rows: list[Any]) -> None:
    try:
        append_rows(rows)
    except StorageUnavailable:
        # The page after a refused submit shows the user's typed input back: refused too, for
        # its read's row meets the same disk, the input would be lost.
        if not write_was_refused():
            raise
        current_app.logger.error("Läsningen %s kunde inte loggas: databasen tar inte emot", action)


# What the detail column keeps of a row (_event_values cuts it there).
DETAIL_LENGTH = 2000
_SHOWN_CASES = "ärenden: "


def codes_detail(codes: Iterable[str]) -> str:
    """The detail of a list's read: the case codes it showed (a list shows many cases)."""
    shown = sorted(set(codes))
    return (_SHOWN_CASES + ", ".join(shown)) if shown else ""


def codes_details(head: str, codes: Iterable[str]) -> list[str]:
    """The details of a long list's read: head, then the case codes it showed, in as many rows
    as the detail column needs. Cut at its end, a row's last codes named the read in no
    patient's extract (a list of 200 transfers names more than fits)."""
    details: list[str] = []
    current = head
    started = False
    for code in sorted(set(codes) - {""}):
        piece = ", " + code if started else ("; " if current else "") + _SHOWN_CASES + code
        if current and len(current) + len(piece) > DETAIL_LENGTH:
            details.append(current)
            current, piece = "", _SHOWN_CASES + code
        current += piece
        started = True
    return [*details, current]


def log_list_read(
    action: str,
    *,
    codes: Iterable[str],
    patients: Iterable[str] = (),
    incident_id: int | None = None,
    patient_ref: str = "",
    head: str = "",
) -> None:
    """Record a list's read: a row naming the cases shown (more for a long list), and one per
    patient it showed who has no case (typed into a form begun without one), so that patient's
    extract holds it. head: what the list was, before its cases.

    patient_ref: the patient the page itself shows beside the list (a form filled from a
    draft), named in the first row and not again.
    """
    rows = [
        read_event_row(
            action,
            incident_id=incident_id,
            detail=detail,
            patient_ref=patient_ref if i == 0 else "",
        )
        for i, detail in enumerate(codes_details(head, codes))
    ]
    rows += [
        read_event_row(
            action,
            incident_id=incident_id,
            detail="patient i utkast utan ärende",
            patient_ref=patient,
        )
        for patient in sorted(set(patients) - {"", patient_ref})
    ]
    _append_read_rows(action, rows)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


_column_names: dict[type, tuple[str, ...]] = {}


def snapshot(obj: Any, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
    """The column values of a model instance as JSON-safe data."""
    model = type(obj)
    if fields is None and model not in _column_names:
        # A column worked out from another (a case's name key) is no part of a version.
        _column_names[model] = tuple(
            attr.key
            for attr in inspect(model).column_attrs
            if not any("derived_from" in c.info for c in attr.columns)
        )
    names = fields or _column_names[model]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def snapshot_row(row: Any, names: Iterable[str], prefix: str = "") -> dict[str, Any]:
    """Columns as read in a query row (labelled prefix + name), as JSON-safe data."""
    mapping = row._mapping
    return {name: _jsonable(mapping[prefix + name]) for name in names}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        k: [before[k], after[k]]
        for k in before
        if before[k] != after[k] and k not in ("version", "updated_at")
    }


def _store_version(
    *,
    entity: str,
    entity_id: int,
    before: dict[str, Any],
    changes: dict[str, Any],
    case_id: int | None,
    user: User | Actor | None,
    reason: str,
) -> int:
    """Keep the earlier version; returns the record's next version number."""
    number = int(before.get("version") or 1)
    insert_row(
        db.session,
        RecordVersion.__table__,
        {
            "entity": entity,
            "entity_id": entity_id,
            "version": number,
            "case_id": case_id,
            "data": before,
            "changes": changes,
            "reason": reason,
            "changed_by_id": user.id if user else None,
        },
    )
    return number + 1


def record_version(
    obj: Any,
    before: dict[str, Any],
    *,
    entity: str,
    case_id: int | None,
    user: User | Actor | None,
    reason: str = "",
) -> dict[str, Any]:
    """Store the earlier version of a record and return what changed (field: [old, new])."""
    changes = _changes(before, snapshot(obj, tuple(before)))
    if not changes:
        return {}
    version = _store_version(
        entity=entity,
        entity_id=obj.id,
        before=before,
        changes=changes,
        case_id=case_id,
        user=user,
        reason=reason,
    )
    if hasattr(obj, "version"):
        update_row(db.session, obj, {"version": version})
    return changes


@dataclass(frozen=True)
class Change:
    """What a versioned update changed (field: [old, new]) and the record's version after it."""

    fields: dict[str, Any]
    version: int


def updated_snapshot(before: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot (snapshot_row) as it would read with the values written over it."""
    return {**before, **{k: _jsonable(v) for k, v in values.items() if k in before}}


def record_change(
    table: Table,
    key: int,
    before: dict[str, Any],
    values: dict[str, Any],
    *,
    entity: str,
    case_id: int | None,
    user: User | Actor | None,
    reason: str = "",
) -> Change:
    """Update one versioned row by key, keeping its earlier version when a field changes.

    `before` is the row as read in this transaction (snapshot_row). The next version number
    goes in the same UPDATE, so a change costs one INSERT of the version and one UPDATE.
    """
    changes = _changes(before, updated_snapshot(before, values))
    version = int(before.get("version") or 1)
    if changes:
        version = _store_version(
            entity=entity,
            entity_id=key,
            before=before,
            changes=changes,
            case_id=case_id,
            user=user,
            reason=reason,
        )
        values = {**values, "version": version}
    update_by_key(db.session, table, key, values)
    return Change(changes, version)


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent | RecordVersion) and (
            obj in session.deleted or session.is_modified(obj)
        ):
            raise PermissionError("Audit log and version history are append-only.")
