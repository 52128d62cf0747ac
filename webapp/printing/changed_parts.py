"""What kinds of content a sheet's ÄNDRAD mark names: the changes since its first print.

Each name stands for changes the sheet's version counts (versions.py), so the list names every
change that makes the sheet ÄNDRAD and nothing that does not. Kinds only, never values: the
earlier, wrong patient's name must not appear on another patient's paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select

from ..extensions import db
from ..models import Case, RecordVersion, UrgentCall
from ..reporting.signed import SIGNING_KINDS
from .versions import (
    CANCELLING,
    DRILL_MARK,
    EXAM_PRINTS,
    IDENTITY_FIELDS,
    MOVED,
    PRINTED_CASE_FIELDS,
    RELEASE_REPORT_PRINTS,
    REPORT_PRINTS,
)

IDENTITY = "patientens identitet"
PRIORITY = "prioritet"
MODALITY = "modalitet"
EXAM = "undersökning"
REFERRER = "remittent/svarsfax"
QUESTION = "frågeställning/anamnes"
SAFETY = "infektion/säkerhetssvar"
ARRIVAL = "ankomst"
REFERRAL = "remissen"
INSTRUCTION = "instruktion"
DOCUMENTATION = "dokumentationen"
REPORT_TEXT = "utlåtandets text"
ADDENDUM = "tillägg"
URGENT_CALL = "akut samtal"
CANCELLED = "makulerad/återställd"
DRILL = "övning/skarpt driftstopp"
CASE = "ärendets uppgifter"
# The order a sheet names them in: who the paper is about first, then what it asks, then
# what was found.
ORDER = (
    IDENTITY,
    CANCELLED,
    DRILL,
    PRIORITY,
    REFERRER,
    EXAM,
    MODALITY,
    QUESTION,
    SAFETY,
    ARRIVAL,
    REFERRAL,
    INSTRUCTION,
    DOCUMENTATION,
    REPORT_TEXT,
    ADDENDUM,
    URGENT_CALL,
    CASE,
)

_EXAM_FIELDS = frozenset({"exam_code", "exam_text", "side", "side_confirmed", "contrast_planned"})
_FIELD_NAMES = {
    "case": {
        **dict.fromkeys(IDENTITY_FIELDS | {"identity_revision"}, IDENTITY),
        "priority": PRIORITY,
        "modality": MODALITY,
        **dict.fromkeys(("protocol", "protocol_by_id", "protocol_at"), INSTRUCTION),
        **dict.fromkeys(("status", "cancelled_at", "cancelled_by_id"), CANCELLED),
        **dict.fromkeys(CANCELLING | {"cancelled_message"}, CANCELLED),
        **dict.fromkeys(DRILL_MARK, DRILL),
    },
    "referral": {
        **dict.fromkeys(("referrer_unit", "referrer_clinician", "referrer_phone"), REFERRER),
        "reply_fax": REFERRER,
        **dict.fromkeys(_EXAM_FIELDS, EXAM),
        **dict.fromkeys(("clinical_question", "history"), QUESTION),
        **dict.fromkeys(("arrived_via", "arrived_at", "received_by_id"), ARRIVAL),
    },
    "exam": {**dict.fromkeys(_EXAM_FIELDS, EXAM), "modality": MODALITY},
}
# A field of a record no name above covers: what of the record changed, in a word (of the
# referral's own fields, the safety answers are all the rest).
_OTHER = {"case": CASE, "referral": SAFETY, "exam": DOCUMENTATION}
# Everything of a record counts: its own version is part of the sheet's.
_ALL = None
_Prints = dict[str, frozenset[str] | None]


def _prints(kind: str) -> _Prints:
    """By entity, the fields whose change the sheet's content version counts (_ALL: any)."""
    case: frozenset[str] | None = (
        PRINTED_CASE_FIELDS.get(kind, IDENTITY_FIELDS) | CANCELLING | DRILL_MARK
    )
    if kind in ("referral", "referral-anon"):
        return {"case": case, "referral": _ALL}
    if kind == "exam":
        return {"case": case, "exam": _ALL, "referral": EXAM_PRINTS["referral"]}
    if kind in ("report", "report-anon"):
        sources = REPORT_PRINTS if kind == "report" else RELEASE_REPORT_PRINTS
        return {"case": case, **sources}
    if kind == "cover":
        # The case's version, and the versions of the documents it lists.
        return {"case": _ALL, "referral": _ALL, "exam": _ALL}
    return {"case": _ALL}


def _names(entity: str, fields: Iterable[str], counted: frozenset[str] | None) -> set[str]:
    fields = set(fields)
    if counted is not None:
        fields &= counted
    named = _FIELD_NAMES[entity]
    found = {named.get(field, _OTHER[entity]) for field in fields}
    if counted is None and not found:
        # A new version with no field changed still raised the record's own version.
        found.add(_OTHER[entity])
    return found


def _after(at: datetime | None, since: datetime) -> bool:
    if at is None:
        return False
    return (at if at.tzinfo else at.replace(tzinfo=UTC)) > since


def _record_names(case: Case, prints: _Prints, since: datetime) -> set[str]:
    """The names of the case's, referral's and exam's changes since, in one query."""
    keys = {"case": case.id, "referral": case.referral, "exam": case.exam}
    records = [
        (entity, key if isinstance(key, int) else key.id)
        for entity, key in keys.items()
        if entity in prints and key is not None
    ]
    rows = db.session.execute(
        select(RecordVersion.entity, RecordVersion.changes).where(
            RecordVersion.changed_at > since,
            or_(
                *(and_(RecordVersion.entity == e, RecordVersion.entity_id == k) for e, k in records)
            ),
        )
    )
    found: set[str] = set()
    for entity, changes in rows:
        fields = frozenset(changes or ())
        if entity == "case" and fields & MOVED:
            if fields <= MOVED:
                continue  # a move between two real outages: no sheet prints the incident
            fields -= MOVED
        found |= _names(entity, fields, prints[entity])
    return found


def _report_names(case: Case, kind: str, since: datetime) -> set[str]:
    report = case.report
    if report is None:
        return set()
    found = set()
    signed = [s for s in report.signatures if s.kind in SIGNING_KINDS]
    before = [s for s in signed if not _after(s.signed_at, since)]
    if signed and (not before or before[-1].report_version != signed[-1].report_version):
        found.add(REPORT_TEXT)
    if any(_after(a.signed_at, since) for a in report.addenda):
        found.add(ADDENDUM)
    if kind in ("report", "cover"):
        calls = db.session.scalar(
            select(func.count(UrgentCall.id)).where(
                UrgentCall.case_id == case.id, UrgentCall.logged_at > since
            )
        )
        if calls:
            found.add(URGENT_CALL)
    return found


def changed_parts(case: Case, kind: str, since: datetime) -> tuple[str, ...]:
    """The kinds of content of the case's sheet `kind` changed since its first print."""
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    found = _record_names(case, _prints(kind), since)
    if kind in ("report", "report-anon", "cover"):
        found |= _report_names(case, kind, since)
        if case.exam is not None and _after(case.exam.created_at, since):
            # The report names the exam as performed once it is documented; the cover lists it.
            found.add(DOCUMENTATION if kind == "cover" else EXAM)
    return tuple(name for name in ORDER if name in found)
