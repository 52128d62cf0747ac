"""Reading the reconciliation batch of an incident from the database, a chunk of cases at a time.

Cases are read as plain column rows (no ORM objects), so an export of 10,000 cases holds one
chunk of rows at a time and costs a fixed handful of queries per chunk, never some per case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from sqlalchemy import select

from ..extensions import db
from ..models import (
    Addendum,
    Case,
    CatchupRecord,
    CatchupTick,
    ExamRecord,
    Incident,
    Referral,
    Report,
    ReportDispatch,
    ReportSignature,
    UrgentCall,
    User,
)
from ..models.report import paper_times
from ..release_in_ris import ReleaseNote, notes_by_case
from ..reporting.signed import SIGNING_KINDS, signed_texts
from ..siteconfig import SiteConfig
from .batch import (
    AddendumData,
    CallData,
    CaseExport,
    DispatchData,
    EarlierIdentity,
    ReleaseNoteData,
    ReportData,
    SignatureData,
    StepData,
)
from .batch_columns import (
    CASE_COLUMNS,
    EXAM_COLUMNS,
    RECORD_COLUMNS,
    REFERRAL_COLUMNS,
    REPORT_COLUMNS,
)
from .batch_rows import (
    Record,
    exam_data,
    iso,
    patient_data,
    referral_data,
    report_data,
)
from .identities import earlier_identities

# Cases per round of queries: keeps the IN lists well inside every database's parameter limit
# and bounds the rows held at once, while 10,000 cases still take only 20 rounds.
CHUNK_SIZE = 500


def _by_case(rows: Sequence[Record]) -> dict[int, Record]:
    return {row.case_id: row for row in rows}


class _ChunkReader:
    """Reads the export data of a chunk of cases; what every chunk shares is looked up once."""

    def __init__(self, incident: Incident, config: SiteConfig, steps: tuple[str, ...]) -> None:
        self.incident = incident
        self.config = config
        self.steps = steps
        # Staff names are few and repeat on every case: one query instead of one per chunk.
        self.users: dict[int, str] = {
            row.id: row.display_name
            for row in db.session.execute(select(User.id, User.display_name))
        }
        self.priority_labels: dict[str, str] = {}

    def _priority_label(self, code: str) -> str:
        if code not in self.priority_labels:
            self.priority_labels[code] = self.config.priority_label(code)
        return self.priority_labels[code]

    def read(self, ids: list[int], documents: dict[int, list[dict[str, str]]]) -> list[CaseExport]:
        session = db.session
        cases = {
            row.id: row for row in session.execute(select(*CASE_COLUMNS).where(Case.id.in_(ids)))
        }
        referrals = _by_case(
            session.execute(select(*REFERRAL_COLUMNS).where(Referral.case_id.in_(ids))).all()
        )
        exams = _by_case(
            session.execute(select(*EXAM_COLUMNS).where(ExamRecord.case_id.in_(ids))).all()
        )
        reports = _by_case(
            session.execute(select(*REPORT_COLUMNS).where(Report.case_id.in_(ids))).all()
        )
        records = _by_case(
            session.execute(select(*RECORD_COLUMNS).where(CatchupRecord.case_id.in_(ids))).all()
        )
        report_ids = [r.id for r in reports.values()]
        signature_rows: dict[int, list[Record]] = defaultdict(list)
        last_signed: dict[int, Record] = {}
        for sig in session.execute(
            select(
                ReportSignature.id,
                ReportSignature.report_id,
                ReportSignature.kind,
                ReportSignature.user_id,
                ReportSignature.signer_name,
                ReportSignature.signed_at,
                ReportSignature.content_hash,
                ReportSignature.report_version,
                ReportSignature.paper_signed_at,
                ReportSignature.entered_by_id,
                ReportSignature.read_on,
            )
            .where(ReportSignature.report_id.in_(report_ids))
            # In the order written, so the last one is what goes out: the laptop's clock may
            # have been set back between two signatures.
            .order_by(ReportSignature.id)
        ):
            signature_rows[sig.report_id].append(sig)
            if sig.kind in SIGNING_KINDS:
                last_signed[sig.report_id] = sig
        signatures = {
            report.id: self._signatures(signature_rows[report.id]) for report in reports.values()
        }
        signed = signed_texts(session, {r.id: r.sections for r in reports.values()}, last_signed)
        addenda: dict[int, list[AddendumData]] = defaultdict(list)
        for add in session.execute(
            select(
                Addendum.report_id,
                Addendum.author_id,
                Addendum.signed_at,
                Addendum.text,
                Addendum.is_urgent,
            )
            .where(Addendum.report_id.in_(report_ids))
            # In the order written, as the report sheet lists them (the clock may have been set
            # back between two).
            .order_by(Addendum.id)
        ):
            addenda[add.report_id].append(
                AddendumData(
                    self.users[add.author_id], add.signed_at.isoformat(), add.text, add.is_urgent
                )
            )
        dispatches: dict[int, list[DispatchData]] = defaultdict(list)
        for sent in session.execute(
            select(
                ReportDispatch.report_id,
                ReportDispatch.fax_number,
                ReportDispatch.faxed_at,
                ReportDispatch.user_id,
                ReportDispatch.report_state,
            )
            .where(ReportDispatch.report_id.in_(report_ids))
            .order_by(ReportDispatch.faxed_at, ReportDispatch.id)
        ):
            dispatches[sent.report_id].append(
                DispatchData(
                    sent.fax_number,
                    sent.faxed_at.isoformat(),
                    self.users[sent.user_id],
                    sent.report_state,
                )
            )
        ticks: dict[int, dict[str, Record]] = defaultdict(dict)
        for tick in session.execute(
            select(
                CatchupTick.case_id,
                CatchupTick.step,
                CatchupTick.is_done,
                CatchupTick.user_id,
                CatchupTick.at,
            )
            .where(CatchupTick.case_id.in_(ids))
            # In the order written: the laptop's clock may have been set back between two ticks.
            .order_by(CatchupTick.id)
        ):
            ticks[tick.case_id][tick.step] = tick  # the last tick of a step wins
        calls: dict[int, list[CallData]] = defaultdict(list)
        for call in session.execute(
            select(
                UrgentCall.case_id,
                UrgentCall.called_person,
                UrgentCall.phone_number,
                UrgentCall.called_at,
                UrgentCall.called_by_id,
                UrgentCall.note,
            )
            .where(UrgentCall.case_id.in_(ids))
            .order_by(UrgentCall.called_at, UrgentCall.id)
        ):
            calls[call.case_id].append(
                CallData(
                    call.called_person,
                    call.phone_number,
                    call.called_at.isoformat(),
                    self.users[call.called_by_id],
                    call.note,
                )
            )
        identities = earlier_identities(session, ids)
        releases = notes_by_case(ids)
        exports = []
        for case_id in ids:
            case = cases[case_id]
            report = reports.get(case_id)
            exports.append(
                self._case(
                    case,
                    referral=referrals.get(case_id),
                    exam=exams.get(case_id),
                    report=report_data(
                        report,
                        signatures.get(report.id, []) if report else [],
                        addenda.get(report.id, []) if report else [],
                        signed.get(report.id) if report else None,
                        dispatches.get(report.id, []) if report else [],
                        self.users,
                    ),
                    record=records.get(case_id),
                    ticks=ticks.get(case_id, {}),
                    documents=documents.get(case_id, []),
                    identities=identities.get(case_id, []),
                    calls=calls.get(case_id, []),
                    releases=releases.get(case_id, []),
                )
            )
        return exports

    def _signatures(self, rows: list[Record]) -> list[SignatureData]:
        """A report's signatures; one keyed in from a fax or paper as signed when the paper
        says, with its keying beside it (the row's own time is when it was keyed)."""
        on_paper = paper_times(rows)
        out = []
        for sig in rows:
            keyed_at = sig.signed_at.isoformat()
            if sig.user_id is not None or sig.kind not in SIGNING_KINDS:
                out.append(SignatureData(sig.kind, sig.signer_name, keyed_at))
                continue
            signed_at = on_paper.get(sig.id)
            out.append(
                SignatureData(
                    sig.kind,
                    sig.signer_name,
                    signed_at.isoformat() if signed_at is not None else keyed_at,
                    keyed_at,
                    self.users[sig.entered_by_id] if sig.entered_by_id else "",
                )
            )
        return out

    def _case(
        self,
        case: Record,
        *,
        referral: Record | None,
        exam: Record | None,
        report: ReportData | None,
        record: Record | None,
        ticks: dict[str, Record],
        documents: list[dict[str, str]],
        identities: list[EarlierIdentity],
        calls: list[CallData],
        releases: list[ReleaseNote],
    ) -> CaseExport:
        users = self.users
        return CaseExport(
            code=case.code,
            status=case.status,
            incident_id=self.incident.id,
            is_drill=self.incident.is_drill,
            created_at=case.created_at.isoformat(),
            updated_at=case.updated_at.isoformat(),
            patient=patient_data(case),
            referral=referral_data(case, referral, self._priority_label(case.priority), users),
            exam=exam_data(exam, users),
            report=report,
            steps=[
                StepData(step, bool(tick.is_done), users[tick.user_id], tick.at.isoformat())
                if (tick := ticks.get(step)) is not None
                else StepData(step, False, "", None)
                for step in self.steps
            ],
            ris_accession=record.ris_accession if record else "",
            ris_exam_number=record.ris_exam_number if record else "",
            verified_by=users[record.verified_by_id] if record and record.verified_by_id else "",
            verified_at=iso(record.verified_at) if record else None,
            waived=bool(record and record.waived_at),
            waive_reason=record.waive_reason if record else "",
            waived_by=users[record.waived_by_id] if record and record.waived_by_id else "",
            waived_at=iso(record.waived_at) if record else None,
            waiver_confirmed_by=(
                users[record.waiver_confirmed_by_id]
                if record and record.waiver_confirmed_by_id
                else ""
            ),
            waiver_confirmed_at=iso(record.waiver_confirmed_at) if record else None,
            reconciled_at=iso(record.reconciled_at) if record else None,
            cancelled_reason=case.cancelled_reason,
            earlier_identities=identities,
            documents=documents,
            urgent_calls=calls,
            release_notes=[
                ReleaseNoteData(
                    n.text,
                    n.released_at.isoformat(),
                    n.is_due,
                    n.is_recorded,
                    n.recorded_by if n.is_recorded else "",
                    iso(n.recorded_at) if n.is_recorded else None,
                )
                for n in releases
            ],
        )


def batch_case_ids(incident_id: int) -> list[int]:
    """The cases of an incident's batch, in case order."""
    stmt = select(Case.id).where(Case.incident_id == incident_id)
    return list(db.session.scalars(stmt.order_by(Case.created_at, Case.id)))


def iter_batch(
    incident: Incident,
    config: SiteConfig,
    *,
    case_ids: Sequence[int],
    document_urls: Callable[[list[int]], dict[int, list[dict[str, str]]]] | None = None,
    steps: tuple[str, ...],
) -> Iterator[CaseExport]:
    """The given cases of an incident (see batch_case_ids) as export data, in the order given.

    document_urls, if given, is asked for the document links of each chunk of cases.
    """
    ids = list(case_ids)
    reader = _ChunkReader(incident, config, steps)
    for start in range(0, len(ids), CHUNK_SIZE):
        chunk = ids[start : start + CHUNK_SIZE]
        yield from reader.read(chunk, document_urls(chunk) if document_urls else {})
