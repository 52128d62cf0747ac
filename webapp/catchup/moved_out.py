"""Cases that left an incident after RIS heard of them: exported from it, or keyed into RIS.

A case moved to another incident is no longer in this one's batch, so a 'changed only' export
that sends the cases still in it says nothing of it, and RIS (or the secretary keying from the
file) keeps a case that may now be a drill's, fictional. Each export, the catch-up page and the
close name such cases, and the move form warns before it is made.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ..cases.moving import moves_of
from ..extensions import db
from ..models import AuditEvent, Case, CatchupRecord, ExportBatch, Incident
from .batch import EarlierIdentity, display_id
from .identities import earlier_identities

MOVE = "case_move"


@dataclass(frozen=True)
class MovedOut:
    """A case moved out of an incident after an export of it held the case or its RIS accession
    was recorded."""

    case_id: int
    code: str
    patient_name: str
    id_kind: str
    id_value: str
    ris_accession: str
    ris_exam_number: str
    moved_at: datetime
    # Where the case is now: a drill's case is fictional and must be withdrawn from RIS; one in
    # another real outage is keyed from that outage's batch instead.
    now_in: int
    now_in_drill: bool
    exported: bool
    # The identities the case had before a correction: RIS was told the case under the one
    # the export held, so the booking to withdraw or move is found under it, not the current.
    earlier: tuple[EarlierIdentity, ...] = field(default=())

    @property
    def patient_number(self) -> str:
        """The patient's number as staff write it."""
        return display_id(self.id_kind, self.id_value)

    @property
    def to_withdraw(self) -> bool:
        """RIS must drop it: it now counts as a drill's."""
        return self.now_in_drill


def told_of(withdrawn: Sequence[MovedOut]) -> str:
    """The cases moved out that an export names, for its access-log row: ", 2 flyttade ut
    (K7M-2QX, …)"; "" for none.

    The row names its incident, and a case is found in such a row only while it was in the
    incident; the codes find the export in the moved case's and its patient's extract.
    """
    if not withdrawn:
        return ""
    return f", {len(withdrawn)} flyttade ut ({', '.join(m.code for m in withdrawn)})"


def exported_case_ids(
    incident_id: int, *, up_to: int | None = None, fmt: str | None = None
) -> set[int]:
    """Every case any export of the incident held (sent, told of as moved out, or read and kept
    as a digest); up_to: only exports with an id up to that one; fmt: only of that format."""
    query = select(ExportBatch.case_ids, ExportBatch.case_digests).where(
        ExportBatch.incident_id == incident_id
    )
    if up_to is not None:
        query = query.where(ExportBatch.id <= up_to)
    if fmt is not None:
        query = query.where(ExportBatch.format == fmt)
    held: set[int] = set()
    for case_ids, digests in db.session.execute(query):
        held.update(case_ids or ())
        held.update(int(key) for key in digests or {})
    return held


def has_reached_ris(case: Case) -> bool:
    """Whether an export of the case's incident held it, or its RIS accession is recorded."""
    if case.id in exported_case_ids(case.incident_id):
        return True
    return bool(
        db.session.scalar(
            select(CatchupRecord.ris_accession).where(CatchupRecord.case_id == case.id)
        )
    )


def to_tell_since(incident: Incident, fmt: str, held: Collection[int]) -> list[MovedOut]:
    """The cases moved out that a 'changed only' export of the format tells of: those the
    previous export of the format held (the next holds them no more, so each is told once),
    and those keyed into RIS that no export of the format has held or told of (never in one,
    a held-rule alone would never name them, and RIS would keep a drill's case)."""
    seen = exported_case_ids(incident.id, fmt=fmt)
    return [
        m
        for m in moved_out(incident)
        if m.case_id in held or (m.ris_accession and m.case_id not in seen)
    ]


def moved_out(incident: Incident, *, held: Collection[int] | None = None) -> list[MovedOut]:
    """The cases moved out of the incident after an export held them or their RIS accession
    was recorded, the latest move first; held: only those among these case ids."""
    # Moves are few: their audit rows name the cases, each case's history says from where.
    candidates = db.session.scalars(
        select(Case)
        .where(
            Case.id.in_(
                select(AuditEvent.case_id).where(
                    AuditEvent.action == MOVE, AuditEvent.case_id.is_not(None)
                )
            ),
            Case.site_id == incident.site_id,
            Case.incident_id != incident.id,
        )
        .order_by(Case.id)
    ).all()
    if not candidates:
        return []
    exported = exported_case_ids(incident.id)
    identities = earlier_identities(db.session, [c.id for c in candidates])
    records = {
        r.case_id: r
        for r in db.session.scalars(
            select(CatchupRecord).where(CatchupRecord.case_id.in_([c.id for c in candidates]))
        )
    }
    out = []
    for case in candidates:
        if held is not None and case.id not in held:
            continue
        record = records.get(case.id)
        accession = record.ris_accession if record else ""
        if case.id not in exported and not accession:
            continue
        left = next((m for m in moves_of(case.id) if m.source_id == incident.id), None)
        if left is None:
            continue
        out.append(
            MovedOut(
                case_id=case.id,
                code=case.code,
                patient_name=case.patient_name,
                id_kind=case.patient_id_kind,
                id_value=case.patient_id,
                ris_accession=accession,
                ris_exam_number=record.ris_exam_number if record else "",
                moved_at=left.at,
                now_in=case.incident_id,
                now_in_drill=case.incident.is_drill,
                exported=case.id in exported,
                earlier=tuple(identities.get(case.id, ())),
            )
        )
    return sorted(out, key=lambda m: m.moved_at, reverse=True)
