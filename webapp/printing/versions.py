"""The version a printed document carries in its QR, and whether a scanned sheet is out of date."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select

from ..cases.safety_risks import RISK_REFERRAL_FIELDS
from ..cases.services import CASE_IDENTITY_FIELDS
from ..extensions import db
from ..models import Case, RecordVersion, ReportSignature, UrgentCall
from ..reporting.signed import SIGNING_KINDS
from .documents import CASE_DOCUMENTS, available_documents

IDENTITY_FIELDS = frozenset(CASE_IDENTITY_FIELDS) - {"version"}
# The case's own fields each document prints: the patient on all, and the referral sheet also
# the priority, modality and instruction, which a radiologist may change on the case (the
# anonymised referral leaves the instruction out).
PRINTED_CASE_FIELDS = {
    "referral": IDENTITY_FIELDS | {"priority", "modality", "protocol"},
    "referral-anon": IDENTITY_FIELDS | {"priority", "modality"},
    # The warnings the exam sheet prints depend on the case's modality (MR safety).
    "exam": IDENTITY_FIELDS | {"modality"},
}
# What the exam sheet prints of the referral: its safety warnings, the infection and mobility,
# and the referred side when the exam's differs. A change of any is a new exam sheet, else a
# reprint would be a KOPIA of a sheet that, say, did not say MRSA (the referral sheets count
# every referral change already, by the referral's own version).
EXAM_PRINTS = {
    "referral": RISK_REFERRAL_FIELDS | {"infection", "infection_note", "mobility", "side"},
}
_KIND_OF_DOC = {doc: kind for kind, doc in CASE_DOCUMENTS.items()}
# A released disc's label names the patient; its QR carries the case's version, as the cover's
# does, so a scan compares it the same way.
_KIND_OF_SCANNED = {**_KIND_OF_DOC, "ETK": "cover"}

CaseChanges = list[frozenset[str]]


def case_changes(case_id: int) -> CaseChanges:
    """The fields changed by each earlier version of the case, oldest first."""
    rows = db.session.scalars(
        select(RecordVersion.changes)
        .where(RecordVersion.entity == "case", RecordVersion.entity_id == case_id)
        .order_by(RecordVersion.id)
    )
    return [frozenset(changed or ()) for changed in rows]


def _signed_version(report_id: int, version: int) -> int:
    """The report's version its last signature covers: the sheet prints the text as signed,
    so an unsigned save since gives no new sheet."""
    signed = db.session.scalar(
        select(ReportSignature.report_version)
        .where(ReportSignature.report_id == report_id, ReportSignature.kind.in_(SIGNING_KINDS))
        # The last written: the laptop's clock may have been set back between two signatures.
        .order_by(ReportSignature.id.desc())
        .limit(1)
    )
    return version if signed is None else int(signed)


def _urgent_calls(case_id: int) -> int:
    return int(
        db.session.scalar(select(func.count(UrgentCall.id)).where(UrgentCall.case_id == case_id))
        or 0
    )


def document_version(case: Case, kind: str, changes: CaseChanges | None = None) -> int:
    """The version a printed document shows (and its QR carries).

    Referral, exam and report sheets print the patient, so a corrected identity must give
    them a new version: otherwise the reprint would be a KOPIA of the wrong-patient sheet and
    a scan could not tell the two apart (likewise a changed priority on the referral, or a
    changed infection or safety answer the exam sheet prints of it). The document's own
    version and the count of the case's changes it prints only ever grow, so their sum grows
    with every change of either and stays a small integer.
    """
    if kind == "cover":
        return case.version  # the case's version already counts identity changes
    if kind in ("referral", "referral-anon"):
        own = case.referral.version if case.referral else 1
    elif kind == "exam":
        own = case.exam.version if case.exam else 1
        if case.exam is not None:
            own += _record_changes(case, EXAM_PRINTS)
    elif kind in ("report", "report-anon"):
        report = case.report
        own = _signed_version(report.id, report.version) + len(report.addenda) if report else 1
        # Both report sheets print every urgent call: a call logged since changes them.
        own += _urgent_calls(case.id)
    else:
        return case.version
    if changes is None:
        changes = case_changes(case.id)
    printed = PRINTED_CASE_FIELDS.get(kind, IDENTITY_FIELDS)
    return own + sum(1 for changed in changes if changed & printed)


# What the report sheets print of the referral and the exam besides the report: the fax
# header's addressee and the exam's name.
REPORT_PRINTS = {
    "referral": frozenset(
        {"referrer_unit", "referrer_clinician", "reply_fax", "exam_text", "side"}
    ),
    "exam": frozenset({"exam_text", "side"}),
}
# The report for a release's recipient has no fax header: of these, only the exam's name.
RELEASE_REPORT_PRINTS = {
    "referral": frozenset({"exam_text", "side"}),
    "exam": frozenset({"exam_text", "side"}),
}
# A case's sheets say MAKULERAD while it is cancelled: a cancel or restore changes them. The
# reason changes on both and nothing else changes it (a cancel needs one).
CANCELLING = frozenset({"cancelled_reason"})
# Every sheet says ÖVNING while the case is in a drill: a move between a drill and a real
# outage changes them (Case.in_drill, kept in the move's version), or the real outage's
# reprint would be a KOPIA of a sheet that says ÖVNING.
DRILL_MARK = frozenset({"in_drill"})
# What a cancel or a restore changes on the case.
_CANCEL_TOGGLE = frozenset({"status", "cancelled_reason", "cancelled_message"})
# What a move changes that no sheet prints: the incident's number. A move into or out of a
# drill changes DRILL_MARK as well, which every sheet prints.
MOVED = frozenset({"incident_id"})


def _unprinted_moves(changes: CaseChanges) -> int:
    """How many of the case's changes were moves between two real outages: each raised the
    case's version, but changed nothing a sheet prints."""
    return sum(1 for changed in changes if changed and changed <= MOVED)


def _record_changes(case: Case, prints: dict[str, frozenset[str]]) -> int:
    """How often what a sheet prints of the case's referral and exam (prints, by entity)
    changed: each earlier version of either that changed one of those fields counts once."""
    sources = (("referral", case.referral), ("exam", case.exam))
    records = [(e, r.id) for e, r in sources if r is not None and e in prints]
    if not records:
        return 0
    rows = db.session.execute(
        select(RecordVersion.entity, RecordVersion.changes).where(
            or_(
                *(
                    and_(RecordVersion.entity == entity, RecordVersion.entity_id == key)
                    for entity, key in records
                )
            )
        )
    )
    return sum(1 for entity, fields in rows if frozenset(fields or ()) & prints[entity])


def _source_changes(case: Case, prints: dict[str, frozenset[str]]) -> int:
    """How often what a report sheet prints of the referral and exam changed (an exam
    documented since counts once: its name replaces the referral's)."""
    return _record_changes(case, prints) + (1 if case.exam is not None else 0)


def content_version(case: Case, kind: str, changes: CaseChanges | None = None) -> int:
    """The version of what a printed document shows, which the KOPIA rule compares.

    It differs from the version in the QR where a sheet prints more than a scan should warn
    of. The red-tray cover's QR carries the case's version, so that a scan warns only of a
    changed patient; but the cover also lists the case's documents and their versions, so an
    exam or report added (or changed) since makes it another sheet. The report sheets print
    the referral's addressee, its reply fax and the exam's name. Every sheet says MAKULERAD
    while the case is cancelled. Every part only ever grows, so the sum grows with each change
    of any. Every sheet says ÖVNING in a drill (a move changes that); a move between two real
    outages changes nothing a sheet prints, so the cover's reprint after one is a KOPIA (a scan
    of either print is current: sheet_versions leaves such a move out).
    """
    if changes is None:
        changes = case_changes(case.id)
    if kind == "cover":
        # The case's version already counts a cancel and a restore.
        listed = [k for k in available_documents(case) if k in ("referral", "exam", "report")]
        own = case.version - _unprinted_moves(changes)
        return own + sum(document_version(case, k, changes) for k in listed)
    own = document_version(case, kind, changes)
    if kind == "report":
        own += _source_changes(case, REPORT_PRINTS)
    elif kind == "report-anon":
        # Addressed to the RIS administrator: of the referral, only the exam's name.
        own += _source_changes(case, RELEASE_REPORT_PRINTS)
    return own + sum(1 for changed in changes if changed & (CANCELLING | DRILL_MARK))


def release_report_version(case: Case) -> int:
    """The version of what the report for a release's recipient shows of the case: the report
    sheet's content without its fax header (the recipient's part is the caller's)."""
    return document_version(case, "report") + _source_changes(case, RELEASE_REPORT_PRINTS)


def versioned_kind(doc: str | None) -> str | None:
    """The document whose version a scanned sheet's QR carries; None for a sheet of none (a
    binder blank, a typed code)."""
    return _KIND_OF_SCANNED.get(doc or "")


def sheet_versions(
    case: Case, doc: str | None, version: int | None, changes: CaseChanges | None = None
) -> tuple[int, int] | None:
    """(printed, current) version when a scanned case document differs from the case's data.

    Older: the data changed after printing. Newer: the database lost what the paper shows
    (a restore from an older backup). Blank binder sheets and hand-typed codes carry no
    version of a printed document: None.
    """
    kind = versioned_kind(doc)
    if kind is None or version is None:
        return None
    if changes is None:
        changes = case_changes(case.id)
    current = document_version(case, kind, changes)
    if kind == "cover" and 0 < version < current <= len(changes) + 1:
        # The cover's version is the case's, which a cancel, a restore and a move raise too;
        # the scan station says itself that a case is cancelled, or was restored since a print
        # that says MAKULERAD, and the cover prints no incident. Each of the case's changes
        # raised its version by one.
        since = changes[version - current :]
        if doc == "ETK":
            # Of the case's own fields, the label prints only its patient.
            unchanged = not any(changed & IDENTITY_FIELDS for changed in since)
        else:
            unchanged = not any(changed - _CANCEL_TOGGLE - MOVED for changed in since)
        if unchanged:
            return None
    return (version, current) if version != current else None
