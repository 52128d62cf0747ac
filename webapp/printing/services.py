"""Recording prints (audit and the KOPIA rule)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select

from ..audit import log_event
from ..models import Case, PrintRecord, User
from ..storage import write_transaction


@dataclass(frozen=True)
class Printed:
    """What the print log says about a document printed now."""

    # This print's time when the same version was printed before: the sheet is a KOPIA.
    reprint_at: datetime | None = None
    # The document's first print when that was another version: the sheet says ÄNDRAD.
    changed_since: datetime | None = None


def record_prints(
    *,
    user: User,
    case: Case | None,
    incident_id: int | None,
    documents: Sequence[tuple[str, int]],
    contents: Mapping[str, int] | None = None,
) -> dict[str, Printed]:
    """Log one print action; per document, whether it is a copy and whether it changed.

    Each document is (name, the version its QR carries). contents gives the version of what a
    document shows where that is not the QR's (the red-tray cover's): the KOPIA and ÄNDRAD
    rule compares what the paper shows.
    """
    case_id = case.id if case else None
    printed: dict[str, Printed] = {}
    with write_transaction() as session:
        for doc, version in documents:
            content = (contents or {}).get(doc, version)
            same_doc = select(PrintRecord).where(PrintRecord.doc == doc)
            if case_id is not None:
                same_doc = same_doc.where(PrintRecord.case_id == case_id)
            else:
                same_doc = same_doc.where(
                    PrintRecord.case_id.is_(None), PrintRecord.incident_id == incident_id
                )
            sub = same_doc.subquery()
            # A print from before content versions were recorded is judged by its QR version.
            same_content = or_(
                sub.c.content_version == content,
                and_(sub.c.content_version.is_(None), sub.c.version == version),
            )
            earlier = session.scalar(select(sub.c.id).where(same_content).limit(1))
            changed_since = session.scalar(select(func.min(sub.c.at)).where(~same_content))
            record = PrintRecord(
                case_id=case_id,
                incident_id=incident_id,
                doc=doc,
                version=version,
                content_version=content,
                is_reprint=earlier is not None,
                user_id=user.id,
            )
            session.add(record)
            session.flush()
            printed[doc] = Printed(
                reprint_at=record.at if earlier is not None else None,
                changed_since=changed_since,
            )
        detail = ", ".join(
            f"{doc} v{version}{' (kopia)' if printed[doc].reprint_at else ''}"
            for doc, version in documents
        )
        log_event("print", user=user, case=case, incident_id=incident_id, detail=detail)
    return printed


def record_list_print(*, user: User, incident_id: int, doc: str) -> datetime:
    """Log a print of an incident's case list; returns its print time, which the list shows.

    A list is drawn afresh from the cases each time, so it is numbered as the n-th print of
    that list and never counted as a reprint.
    """
    with write_transaction() as session:
        earlier = session.scalar(
            select(func.count(PrintRecord.id)).where(
                PrintRecord.case_id.is_(None),
                PrintRecord.incident_id == incident_id,
                PrintRecord.doc == doc,
            )
        )
        record = PrintRecord(
            case_id=None,
            incident_id=incident_id,
            doc=doc,
            version=(earlier or 0) + 1,
            is_reprint=False,
            user_id=user.id,
        )
        session.add(record)
        session.flush()
        log_event(
            "print", user=user, incident_id=incident_id, detail=f"{doc} utskrift {record.version}"
        )
        return record.at
