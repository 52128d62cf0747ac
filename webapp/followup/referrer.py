"""What reached the referrer, for the follow-up report: the calls about urgent findings and
the faxed reports, each timed from the signature it answered. Cases are named by code only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..call_rule import called_after_addendum
from ..dispatch_rule import needs_fax_clause
from ..extensions import db
from ..models import (
    Addendum,
    Case,
    RecordVersion,
    Report,
    ReportDispatch,
    ReportSignature,
    UrgentCall,
)
from ..siteconfig import SiteConfig
from .measure import Spread, aware, minutes_between, spread

# Each case's signatures of its text, in the order written: (id, kind, signed).
Signatures = dict[int, list[tuple[int, str, datetime]]]


@dataclass(frozen=True)
class UrgentFinding:
    code: str
    priority: str
    signed_at: datetime | None
    called_at: datetime | None
    minutes: int | None
    # An addendum's new urgent finding: answered only by a call logged after it (call_rule).
    is_addendum: bool = False
    # Signed urgent and since signed without the mark: the call still answered a finding.
    mark_removed: bool = False
    # Phoned before the signature that carried the finding: no wait to time (minutes None).
    called_before_signing: bool = False


@dataclass(frozen=True)
class Faxing:
    signed: int
    faxed: int
    dispatches: int
    # From the signature a fax covered to the fax.
    delay: Spread
    unfaxed: tuple[str, ...]


def urgent_findings(
    live: Sequence[Any],
    signatures: Signatures,
    config: SiteConfig,
) -> tuple[UrgentFinding, ...]:
    ids = [c.id for c in live]
    marked_now = set(
        db.session.scalars(
            select(Report.case_id).where(Report.case_id.in_(ids), Report.is_urgent.is_(True))
        )
    )
    marks = _signed_marks(set(ids))
    # A finding signed urgent stays in the record of how fast it reached the referrer though a
    # later signature took the mark away. Only a mark the history shows counts here: a version
    # it lacks would list every case signed before the history was kept.
    signed_urgent = {
        c_id for c_id, sigs in signatures.items() if any(marks.get(i) for i, _, _ in sigs)
    }
    urgent = marked_now | signed_urgent
    calls = {
        case_id: called
        for case_id, called in db.session.execute(
            select(UrgentCall.case_id, func.min(UrgentCall.called_at))
            .where(UrgentCall.case_id.in_(urgent))
            .group_by(UrgentCall.case_id)
        )
    }
    carried = {sig_id for sig_id, marked in marks.items() if marked is None or marked}
    found = []
    for c in live:
        if c.id not in urgent:
            continue
        times = signatures.get(c.id, [])
        # The referrer is phoned about a finding once it is signed: a preliminary signed
        # without it starts no clock. Ticked on an unsigned save since the last signature, no
        # signature carried it, and the first signature stands as before.
        signed = min((s for i, _, s in times if i in carried), default=None) or min(
            (s for _, _, s in times), default=None
        )
        called = aware(calls[c.id]) if calls.get(c.id) is not None else None
        # Calls are typed to the minute: one in the signature's own minute came after it.
        early = bool(signed and called and called < signed.replace(second=0, microsecond=0))
        minutes = minutes_between(signed, called) if signed and called and not early else None
        found.append(
            UrgentFinding(
                c.code,
                config.priority_label(c.priority),
                signed,
                called,
                minutes,
                mark_removed=c.id not in marked_now,
                called_before_signing=early,
            )
        )
    return (*found, *_urgent_addenda(live, config))


def _signed_marks(case_ids: set[int]) -> dict[int, bool | None]:
    """Each signature's urgent mark on the version of the report it signed (None: unknown).

    A signature names the report version it signed; the version history keeps every earlier
    version as it was (entity "report"), and the report itself the latest. A version the
    history lacks is unknown; for timing it is counted as urgent, as every signature was before.
    """
    signed = (
        select(
            ReportSignature.id,
            ReportSignature.report_version,
            Report.version,
            Report.is_urgent,
            RecordVersion.data["is_urgent"],
        )
        .join(Report, Report.id == ReportSignature.report_id)
        .outerjoin(
            RecordVersion,
            (RecordVersion.entity == "report")
            & (RecordVersion.entity_id == Report.id)
            & (RecordVersion.version == ReportSignature.report_version),
        )
        .where(Report.case_id.in_(case_ids))
    )
    marks: dict[int, bool | None] = {}
    for sig_id, at_version, latest, is_urgent, was_urgent in db.session.execute(signed):
        marked = is_urgent if at_version == latest else was_urgent
        marks[sig_id] = None if marked is None else bool(marked)
    return marks


def _urgent_addenda(live: Sequence[Any], config: SiteConfig) -> list[UrgentFinding]:
    """Each urgent addendum with the first call made after it, as the board asks for one."""
    by_id = {c.id: c for c in live}
    first_call = (
        select(func.min(UrgentCall.called_at))
        .where(UrgentCall.case_id == Report.case_id, called_after_addendum())
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Report.case_id, Addendum.signed_at, first_call)
        .join(Addendum, Addendum.report_id == Report.id)
        .where(Report.case_id.in_(list(by_id)), Addendum.is_urgent.is_(True))
        .order_by(Addendum.id)
    )
    found = []
    for case_id, signed_at, called_at in rows:
        c = by_id[case_id]
        signed = aware(signed_at)
        called = aware(called_at) if called_at is not None else None
        minutes = minutes_between(signed, called) if called else None
        label = config.priority_label(c.priority)
        found.append(UrgentFinding(c.code, label, signed, called, minutes, is_addendum=True))
    return found


def faxing(
    incident_id: int,
    live: Sequence[Any],
    signatures: Signatures,
) -> Faxing:
    signed_at = {sig_id: at for sigs in signatures.values() for sig_id, _, at in sigs}
    dispatches = db.session.execute(
        select(ReportDispatch.case_id, ReportDispatch.signature_id, ReportDispatch.faxed_at)
        .join(Case, Case.id == ReportDispatch.case_id)
        .where(Case.incident_id == incident_id, Case.status != "cancelled")
        .order_by(ReportDispatch.id)
    ).all()
    delays = [
        minutes_between(signed_at[d.signature_id], d.faxed_at)
        for d in dispatches
        if d.signature_id in signed_at
    ]
    unfaxed = db.session.scalars(
        select(Case.code)
        .where(Case.incident_id == incident_id, needs_fax_clause())
        .order_by(Case.created_at, Case.id)
    ).all()
    return Faxing(
        signed=sum(1 for c in live if signatures.get(c.id)),
        faxed=len({d.case_id for d in dispatches}),
        dispatches=len(dispatches),
        delay=spread(delays),
        unfaxed=tuple(unfaxed),
    )
