"""Recording prints (audit and the KOPIA rule), only once the paper exists.

A print is worked out first (plan_*: what each sheet says, KOPIA and ÄNDRAD included), then
drawn, then logged (print_pdf): a sheet whose drawing fails is never in the log as printed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session, scoped_session

from ..audit import log_event
from ..extensions import db
from ..models import Case, Incident, PrintRecord, ReservedCode, User, utcnow
from ..storage import lock_before_reading, write_transaction

# The access log names each sheet as the buttons that print it do; another (a release's
# report) by its key.
DOC_NAMES = {
    "cover": "Försättsblad röd back",
    "referral": "Remiss",
    "referral-anon": "Anonymiserad remiss",
    "exam": "Dokumentation",
    "report": "Utlåtande",
    "report-anon": "Anonymiserat utlåtande",
    "cancel-notice": "Besked till remittenten: undersökningen utförs inte",
    "list": "Ärendelista (fullständig)",
    "list-masked": "Ärendelista (maskerad)",
    "followup": "Uppföljning av driftstoppet",
}


class PrintFailed(RuntimeError):
    """The sheets could not be drawn: nothing was printed, nothing was logged."""


@dataclass(frozen=True)
class Printed:
    """What the print log says about a document printed now."""

    # This print's time when the same version was printed before: the sheet is a KOPIA.
    reprint_at: datetime | None = None
    # The document's first print when that was another version: the sheet says ÄNDRAD.
    changed_since: datetime | None = None


@dataclass(frozen=True)
class PlannedSheet:
    """One document of a print as the log will record it."""

    doc: str
    # None: a list's number, counted when the print is recorded (a list is never a copy).
    version: int | None
    content_version: int | None = None
    is_reprint: bool = False


@dataclass(frozen=True)
class PlannedBlanks:
    """A stack of blank binder sheets, one per reserved code, in the order printed."""

    doc_kind: str
    codes: tuple[str, ...]
    # Every sheet says KOPIA, printed before or not (the binder's reprint of its unused codes).
    all_copies: bool = False


@dataclass(frozen=True)
class PrintPlan:
    """A print worked out before drawing; recorded by print_pdf once the PDF exists."""

    user: User
    case: Case | None
    incident_id: int | None
    at: datetime
    sheets: tuple[PlannedSheet, ...] = ()
    # By document; for a stack of blanks, by code: each sheet that is a copy.
    printed: Mapping[str, Printed] = field(default_factory=dict)
    # A stack of blanks: no print record, its codes' first print is kept with the codes.
    blanks: PlannedBlanks | None = None
    # The patient of a sheet of no case (a transfer's typed one), for the access log.
    patient_ref: str = ""

    def blank_reprint_at(self, code: str) -> datetime | None:
        """This print's time when the blank sheet of code is a KOPIA."""
        printed = self.printed.get(code)
        return printed.reprint_at if printed else None


def _same_doc(case_id: int | None, incident_id: int | None, doc: str) -> Select[tuple[PrintRecord]]:
    query = select(PrintRecord).where(PrintRecord.doc == doc)
    if case_id is not None:
        return query.where(PrintRecord.case_id == case_id)
    return query.where(PrintRecord.case_id.is_(None), PrintRecord.incident_id == incident_id)


def _judge(
    session: Session | scoped_session[Any],
    case_id: int | None,
    incident_id: int | None,
    sheet: PlannedSheet,
    at: datetime,
) -> tuple[PlannedSheet, Printed]:
    """Whether printing one document now is a copy, and since when what it shows changed."""
    sub = _same_doc(case_id, incident_id, sheet.doc).subquery()
    # A print from before content versions were recorded is judged by its QR version.
    same_content = or_(
        sub.c.content_version == sheet.content_version,
        and_(sub.c.content_version.is_(None), sub.c.version == sheet.version),
    )
    earlier = session.scalar(select(sub.c.id).where(same_content).limit(1))
    changed_since = session.scalar(select(func.min(sub.c.at)).where(~same_content))
    judged = replace(sheet, is_reprint=earlier is not None)
    return judged, Printed(
        reprint_at=at if earlier is not None else None, changed_since=changed_since
    )


# Codes per statement: a reprint of every unused code can outnumber a database's parameter limit.
_CODES_PER_QUERY = 500


def _printed_blanks(
    session: Session | scoped_session[Any], codes: Sequence[str], *, lock: bool = False
) -> set[str]:
    """The codes whose blank sheet was printed before; lock: (PostgreSQL) each code's row is
    held until the transaction ends, so two prints of one code are judged one after the other."""
    printed: set[str] = set()
    for start in range(0, len(codes), _CODES_PER_QUERY):
        query = (
            select(ReservedCode.code, ReservedCode.printed_at)
            .where(ReservedCode.code.in_(codes[start : start + _CODES_PER_QUERY]))
            .order_by(ReservedCode.id)
        )
        if lock:
            query = query.with_for_update()
        printed |= {code for code, at in session.execute(query) if at is not None}
    return printed


def _judged_blanks(
    plan: PrintPlan, session: Session | scoped_session[Any], *, lock: bool
) -> PrintPlan:
    assert plan.blanks is not None
    before = _printed_blanks(session, plan.blanks.codes, lock=lock)
    copies = plan.blanks.codes if plan.blanks.all_copies else before
    return replace(plan, printed={code: Printed(reprint_at=plan.at) for code in copies})


def _judged(
    plan: PrintPlan, session: Session | scoped_session[Any], *, lock: bool = False
) -> PrintPlan:
    if plan.blanks is not None:
        return _judged_blanks(plan, session, lock=lock)
    case_id = plan.case.id if plan.case else None
    sheets: list[PlannedSheet] = []
    printed: dict[str, Printed] = {}
    for sheet in plan.sheets:
        if sheet.version is None:
            sheets.append(sheet)
            continue
        judged, printed[sheet.doc] = _judge(session, case_id, plan.incident_id, sheet, plan.at)
        sheets.append(judged)
    return replace(plan, sheets=tuple(sheets), printed=printed)


def plan_prints(
    *,
    user: User,
    case: Case | None,
    incident_id: int | None,
    documents: Sequence[tuple[str, int]],
    contents: Mapping[str, int] | None = None,
    patient_ref: str = "",
) -> PrintPlan:
    """Per document, whether printing it now is a copy and whether it changed; nothing written.

    Each document is (name, the version its QR carries). contents gives the version of what a
    document shows where that is not the QR's (the red-tray cover's): the KOPIA and ÄNDRAD
    rule compares what the paper shows.

    Read outside the write transaction, so that no drawing holds the write lock; print_pdf
    judges again under the lock before it records, and draws again if a colleague's print of
    the same sheet came in between (two originals of one sheet must not exist).
    """
    sheets = tuple(
        PlannedSheet(doc, version, (contents or {}).get(doc, version)) for doc, version in documents
    )
    plan = PrintPlan(user, case, incident_id, utcnow(), sheets, patient_ref=patient_ref)
    return _judged(plan, db.session)


def plan_list_print(*, user: User, incident_id: int, doc: str) -> PrintPlan:
    """A print of an incident's case list: drawn afresh from the cases each time, so it is
    numbered as the n-th print of that list and never counted as a reprint."""
    return PrintPlan(user, None, incident_id, utcnow(), (PlannedSheet(doc, None),))


def plan_blank_print(
    *, user: User, doc_kind: str, codes: Sequence[str], all_copies: bool = False
) -> PrintPlan:
    """A stack of blank binder sheets: each code's sheet printed before is a KOPIA."""
    blanks = PlannedBlanks(doc_kind, tuple(codes), all_copies)
    return _judged(PrintPlan(user, None, None, utcnow(), blanks=blanks), db.session)


# Codes a reprint's audit detail names (about 9 characters each): the log keeps 2,000.
_LISTED_CODES = 150


def _listed(codes: Sequence[str]) -> str:
    """Codes one by one, as many as the log's detail holds, and how many more there were."""
    shown = ", ".join(codes[:_LISTED_CODES])
    rest = len(codes) - _LISTED_CODES
    return f"{shown} … och {rest} till" if rest > 0 else shown


def _blank_detail(plan: PrintPlan) -> str:
    """The audit detail of a stack of blanks: its codes, and which of its sheets are copies.

    One reserve's batch is a run, named by its ends; the binder's reprint of its unused codes
    is not (codes used or voided fall between), so it names each code.
    """
    assert plan.blanks is not None
    codes, kind = plan.blanks.codes, plan.blanks.doc_kind
    if plan.blanks.all_copies:
        return f"{len(codes)} blanketter {kind} (kopia): {_listed(codes)}"
    copies = [code for code in codes if code in plan.printed]
    if len(copies) == len(codes):
        return f"{len(codes)} blanketter {kind} (kopia): {codes[0]}–{codes[-1]}"
    detail = f"{len(codes)} blanketter {kind}: {codes[0]}–{codes[-1]}"
    if copies:
        detail += f", varav {len(copies)} (kopia): {_listed(copies)}"
    return detail


def _record_blanks(session: Session, plan: PrintPlan) -> None:
    """Keep each code's first print (any later sheet with the code says KOPIA) and its last."""
    assert plan.blanks is not None
    codes = plan.blanks.codes
    for start in range(0, len(codes), _CODES_PER_QUERY):
        session.execute(
            update(ReservedCode)
            .where(
                ReservedCode.code.in_(codes[start : start + _CODES_PER_QUERY]),
                ReservedCode.printed_at.is_(None),
            )
            .values(printed_at=plan.at)
        )
        # Every sheet, a copy too, is paper in circulation: the close of an outage asks for it.
        session.execute(
            update(ReservedCode)
            .where(ReservedCode.code.in_(codes[start : start + _CODES_PER_QUERY]))
            .values(last_printed_at=plan.at, last_printed_by_id=plan.user.id)
        )


def _list_number(session: Session, incident_id: int | None, doc: str) -> int:
    earlier = session.scalar(
        select(func.count()).select_from(_same_doc(None, incident_id, doc).subquery())
    )
    return (earlier or 0) + 1


def record_print(plan: PrintPlan) -> PrintPlan | None:
    """Log a print that exists: its print records and one audit event, in one transaction.

    Returns None once recorded; or, with nothing written, the plan judged afresh when the
    print log changed since the plan was made (the drawn sheets would say the wrong thing).
    """
    with write_transaction() as session:
        if plan.case is not None:
            # PostgreSQL: two prints of one case's sheets judge and record one after the other.
            lock_before_reading(session, Case.__table__, plan.case.id)
        elif plan.incident_id is not None:
            # An incident's list is numbered by the prints before it: two at once, one by one.
            lock_before_reading(session, Incident.__table__, plan.incident_id)
        fresh = _judged(plan, session, lock=True)
        if fresh.printed != plan.printed:
            return fresh
        if plan.blanks is not None:
            _record_blanks(session, plan)
        parts = []
        for sheet in plan.sheets:
            if sheet.version is None:
                version = _list_number(session, plan.incident_id, sheet.doc)
                parts.append(f"{DOC_NAMES.get(sheet.doc, sheet.doc)} utskrift {version}")
            else:
                version = sheet.version
                name = DOC_NAMES.get(sheet.doc, sheet.doc)
                parts.append(f"{name} v{version}{' (kopia)' if sheet.is_reprint else ''}")
            session.add(
                PrintRecord(
                    case_id=plan.case.id if plan.case else None,
                    incident_id=plan.incident_id,
                    doc=sheet.doc,
                    version=version,
                    content_version=sheet.content_version,
                    is_reprint=sheet.is_reprint,
                    user_id=plan.user.id,
                    at=plan.at,
                )
            )
        log_event(
            "print",
            user=plan.user,
            case=plan.case,
            incident_id=plan.incident_id,
            detail=_blank_detail(plan) if plan.blanks is not None else ", ".join(parts),
            patient_ref=plan.patient_ref,
        )
    return None


def print_pdf(plan: PrintPlan, draw: Callable[[PrintPlan], bytes]) -> bytes:
    """Draw the planned sheets, then log the print; a drawing that fails logs nothing.

    draw gets the plan to draw from: drawn again from a fresh one when the print log changed
    before the print could be recorded. Raises PrintFailed (from the drawing's own error, for
    the server log) when drawing fails.
    """
    # What a sheet says changes at most twice (a first copy, a first change), a blank's once,
    # so this many drawings always end in one that is recorded.
    blanks = len(plan.blanks.codes) if plan.blanks else 0
    for _ in range(2 * len(plan.sheets) + blanks + 1):
        try:
            pdf = draw(plan)
        except Exception as exc:  # any failure of the data or the layout: no paper, no record
            raise PrintFailed(str(exc)) from exc
        fresh = record_print(plan)
        if fresh is None:
            return pdf
        plan = fresh
    raise AssertionError("a sheet's KOPIA and ÄNDRAD changed more often than they can")
