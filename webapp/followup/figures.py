"""The figures of an outage's cases for its follow-up report.

The report is mailed to the RIS/PACS administrators, so a case is named by its code only:
nothing here reads a patient's name, number or reserve number, nor any text staff typed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from ..cases.services import CASE_IDENTITY_FIELDS
from ..extensions import db
from ..models import (
    CASE_STATUSES,
    Case,
    CatchupRecord,
    ExamRecord,
    RecordVersion,
    Referral,
    Report,
    ReportSignature,
    ReservedCode,
    User,
)
from ..models.report import SIGNING_KINDS
from ..reviewer_cancel_rule import cancellations_told, cancellations_untold
from ..reviewer_restore_rule import backs_on_told, backs_on_untold
from ..second_look_rule import awaiting_second_look_codes
from ..siteconfig import SiteConfig
from ..web import STATUS_LABELS
from .measure import Spread, aware, minutes_between, spread
from .modality import LeftOnModality, images_on_modality
from .notices import CancelNotices, cancel_notices, notices_told, restored_calls
from .referrer import Faxing, Signatures, UrgentFinding, faxing, urgent_findings

WAIVED = "Undantagen"
WAIVER_PENDING = "Undantag väntar på bekräftelse"
NO_MODALITY = "Ingen modalitet"
BLANK_LABELS = {"BLR": "Remiss", "BLD": "Dokumentation", "BLU": "Utlåtande"}
# What a correction of the patient changes (the version column changes with any edit).
_IDENTITY = set(CASE_IDENTITY_FIELDS) - {"version"}


@dataclass(frozen=True)
class Count:
    label: str
    count: int
    # The site's own name (a priority, a modality): shown as written, in Swedish, not translated.
    is_sites: bool = False


@dataclass(frozen=True)
class PriorityWait:
    """From the referral's arrival to the exam and to the first signed report, per priority."""

    priority: str
    cases: int
    to_exam: Spread
    to_report: Spread
    # The site's longest wait for a definitive report (0: none), and the cases that waited
    # longer, or had none when the figures were taken and had waited longer by then.
    limit_minutes: int
    past_limit: int


@dataclass(frozen=True)
class SetAside:
    """A case cancelled, or waived from the catch-up: who did it and when."""

    code: str
    by: str
    at: datetime | None
    confirmed_by: str = ""
    is_pending: bool = False
    # A cancelled case's notice to its referrer: faxed, not_needed, or "" when not told.
    notice: str = ""
    notice_at: datetime | None = None
    # A cancelled case whose referral the external reviewer held: when and by whom the reviewer
    # was told of the cancellation, or that nobody told them (never how: typed text).
    reviewer_told_at: datetime | None = None
    reviewer_told_by: str = ""
    reviewer_untold: bool = False


@dataclass(frozen=True)
class BackOn:
    """A case whose cancellation was undone after the external reviewer was told of it: when
    and by whom the reviewer was told the exam is back on, or that nobody told them (never how:
    typed text)."""

    code: str
    told_at: datetime | None
    told_by: str = ""


@dataclass(frozen=True)
class Identity:
    corrections: int
    corrected_cases: tuple[str, ...]
    from_reserve: int
    left_on_reserve: tuple[str, ...]


@dataclass(frozen=True)
class CaseFigures:
    total: int
    by_priority: tuple[Count, ...]
    by_modality: tuple[Count, ...]
    by_status: tuple[Count, ...]
    cancelled: tuple[SetAside, ...]
    notices: CancelNotices
    waived: tuple[SetAside, ...]
    waits: tuple[PriorityWait, ...]
    urgent: tuple[UrgentFinding, ...]
    faxing: Faxing
    identity: Identity
    blanks: tuple[Count, ...]
    keyed_by: tuple[Count, ...]
    verified_by: tuple[Count, ...]
    verified: int
    to_key: int
    on_modality: tuple[LeftOnModality, ...]
    # Reports read on the modality's screen whose second look in PACS is still to be done.
    awaiting_second_look: tuple[str, ...] = ()
    back_on: tuple[BackOn, ...] = ()

    @property
    def still_on_modality(self) -> int:
        """Of the cases whose images were only on the modality, those not in PACS yet."""
        return sum(1 for m in self.on_modality if not m.is_sent)


def _counted(
    order: Iterable[tuple[str, str]], found: Counter[str], label_of: Any
) -> tuple[Count, ...]:
    """Counts in the site's order (every code it has, even at 0), then codes it no longer has."""
    known = list(order)
    codes = {code for code, _ in known}
    rows = [Count(label, found.get(code, 0), is_sites=True) for code, label in known]
    # A case without a code gets the app's words for none.
    rows += [
        Count(label_of(code), n, is_sites=bool(code))
        for code, n in sorted(found.items())
        if code not in codes
    ]
    return tuple(rows)


def _by_user(ids: Iterable[int | None], names: dict[int, str]) -> tuple[Count, ...]:
    counted = Counter(names.get(i, "") for i in ids if i is not None)
    return tuple(Count(name, n) for name, n in sorted(counted.items(), key=lambda x: (-x[1], x[0])))


def _signatures(case_ids: list[int]) -> Signatures:
    """Each case's signatures of its text, in the order written: (id, kind, signed).

    A signature keyed in from paper or a fax is timed by its paper: it was keyed later.
    """
    rows = db.session.execute(
        select(
            Report.case_id,
            ReportSignature.id,
            ReportSignature.kind,
            func.coalesce(ReportSignature.paper_signed_at, ReportSignature.signed_at),
        )
        .join(Report, Report.id == ReportSignature.report_id)
        .where(Report.case_id.in_(case_ids), ReportSignature.kind.in_(SIGNING_KINDS))
        .order_by(ReportSignature.id)
    )
    found: Signatures = {}
    for case_id, sig_id, kind, signed in rows:
        found.setdefault(case_id, []).append((sig_id, kind, aware(signed)))
    return found


def case_figures(incident_id: int, config: SiteConfig, as_of: datetime) -> CaseFigures:
    """Every figure of the incident's cases; `as_of`: the end, or now for a running outage."""
    cases = db.session.execute(
        select(
            Case.id,
            Case.code,
            Case.status,
            Case.priority,
            Case.modality,
            Case.patient_id_kind,
            Case.cancelled_at,
            Case.cancelled_by_id,
            Referral.arrived_at,
            ExamRecord.started_at,
        )
        .outerjoin(Referral, Referral.case_id == Case.id)
        .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
        .where(Case.incident_id == incident_id)
        .order_by(Case.created_at, Case.id)
    ).all()
    ids = [c.id for c in cases]
    code = {c.id: c.code for c in cases}
    records = {
        r.case_id: r
        for r in db.session.scalars(select(CatchupRecord).where(CatchupRecord.case_id.in_(ids)))
    }
    names = {i: name for i, name in db.session.execute(select(User.id, User.display_name))}
    live = [c for c in cases if c.status != "cancelled"]
    signatures = _signatures(ids)
    statuses: Counter[str] = Counter()
    waived: list[SetAside] = []
    for c in cases:
        record = records.get(c.id)
        if c.status != "cancelled" and record is not None and record.waived_at is not None:
            pending = record.waiver_pending
            statuses[WAIVER_PENDING if pending else WAIVED] += 1
            confirmed = names.get(record.waiver_confirmed_by_id or 0, "")
            by = names.get(record.waived_by_id or 0, "")
            waived.append(SetAside(c.code, by, record.waived_at, confirmed, pending))
        else:
            statuses[STATUS_LABELS.get(c.status, c.status)] += 1
    status_order = [STATUS_LABELS[s] for s in CASE_STATUSES] + [WAIVED, WAIVER_PENDING]
    set_aside = {c.id for c in cases if c.status == "cancelled"} | {
        r.case_id for r in records.values() if r.waived_at is not None
    }
    keyed = [records[i] for i in ids if i in records and i not in set_aside]
    cancelled = [c for c in cases if c.status == "cancelled"]
    told = notices_told([c.id for c in cancelled])
    reviewer_told = cancellations_told([c.id for c in cancelled])
    reviewer_untold = cancellations_untold([c.id for c in cancelled])
    return CaseFigures(
        total=len(cases),
        by_priority=_counted(
            ((p.code, p.label) for p in config.priorities),
            Counter(c.priority for c in cases),
            config.priority_label,
        ),
        by_modality=_counted(
            ((m.code, m.name) for m in config.modalities),
            Counter(c.modality for c in cases),
            lambda m: config.modality_name(m) if m else NO_MODALITY,
        ),
        by_status=tuple(Count(s, statuses[s]) for s in status_order if statuses[s]),
        cancelled=tuple(
            SetAside(
                c.code,
                names.get(c.cancelled_by_id or 0, ""),
                c.cancelled_at,
                notice=told[c.id].kind if c.id in told else "",
                notice_at=told[c.id].at if c.id in told else None,
                reviewer_told_at=reviewer_told[c.id][0] if c.id in reviewer_told else None,
                reviewer_told_by=reviewer_told[c.id][1] if c.id in reviewer_told else "",
                reviewer_untold=c.id in reviewer_untold,
            )
            for c in cancelled
        ),
        notices=cancel_notices(cancelled, told, live, restored_calls(live)),
        waived=tuple(waived),
        waits=_waits(live, signatures, config, as_of),
        urgent=urgent_findings(live, signatures, config),
        faxing=faxing(incident_id, live, signatures),
        identity=_identity(ids, live, code),
        blanks=_blanks(ids),
        keyed_by=_by_user((r.keyed_by_id for r in keyed), names),
        verified_by=_by_user((r.verified_by_id for r in keyed), names),
        verified=sum(1 for r in keyed if r.verified_at is not None),
        to_key=len([i for i in ids if i not in set_aside]),
        on_modality=images_on_modality(live, as_of),
        awaiting_second_look=awaiting_second_look_codes(incident_id),
        back_on=_back_on(live),
    )


def _back_on(live: Sequence[Any]) -> tuple[BackOn, ...]:
    """The live cases whose reviewer, told of a cancellation since undone, was told it is back
    on or is still to be (one whose answer came in since has nothing to be told)."""
    ids = [c.id for c in live]
    told = backs_on_told(ids)
    untold = backs_on_untold(ids)
    return tuple(
        BackOn(c.code, *told[c.id]) if c.id in told else BackOn(c.code, None)
        for c in live
        if c.id in told or c.id in untold
    )


def _waits(
    live: Sequence[Any],
    signatures: Signatures,
    config: SiteConfig,
    as_of: datetime,
) -> tuple[PriorityWait, ...]:
    order = [p.code for p in config.priorities]
    order += sorted({c.priority for c in live} - set(order))
    waits = []
    for priority in order:
        of = [c for c in live if c.priority == priority and c.arrived_at is not None]
        limit = config.max_wait_minutes(priority)
        to_exam, to_report, past = [], [], 0
        for c in of:
            if c.started_at is not None:
                to_exam.append(minutes_between(c.arrived_at, c.started_at))
            signed = signatures.get(c.id, [])
            if signed:
                to_report.append(minutes_between(c.arrived_at, min(s for _, _, s in signed)))
            definitive = [s for _, kind, s in signed if kind == "definitive"]
            until = min(definitive) if definitive else as_of
            if limit and minutes_between(c.arrived_at, until) > limit:
                past += 1
        waits.append(
            PriorityWait(
                config.priority_label(priority),
                len(of),
                spread(to_exam),
                spread(to_report),
                limit,
                past,
            )
        )
    return tuple(waits)


def _identity(ids: list[int], live: Sequence[Any], code: dict[int, str]) -> Identity:
    versions = db.session.execute(
        select(RecordVersion.case_id, RecordVersion.changes)
        .where(RecordVersion.entity == "case", RecordVersion.case_id.in_(ids))
        .order_by(RecordVersion.id)
    ).all()
    corrections = [v for v in versions if _IDENTITY & set(v.changes or {})]
    from_reserve = [
        v
        for v in corrections
        if (kinds := (v.changes or {}).get("patient_id_kind"))
        and kinds[0] == "reserve"
        and kinds[1] != "reserve"
    ]
    corrected_ids = {v.case_id for v in corrections}
    corrected = [i for i in ids if i in corrected_ids]
    return Identity(
        corrections=len(corrections),
        corrected_cases=tuple(code[i] for i in corrected),
        from_reserve=len(from_reserve),
        left_on_reserve=tuple(c.code for c in live if c.patient_id_kind == "reserve"),
    )


def _blanks(ids: list[int]) -> tuple[Count, ...]:
    used = Counter(
        db.session.scalars(select(ReservedCode.doc_kind).where(ReservedCode.used_case_id.in_(ids)))
    )
    return tuple(Count(label, used[kind]) for kind, label in BLANK_LABELS.items() if used[kind])
