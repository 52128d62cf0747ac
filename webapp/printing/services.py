"""Recording prints (audit and the KOPIA rule)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from ..audit import log_event
from ..models import Case, PrintRecord, User
from ..storage import write_transaction


def record_prints(
    *,
    user: User,
    case: Case | None,
    incident_id: int | None,
    documents: Sequence[tuple[str, int]],
) -> dict[str, datetime | None]:
    """Log one print action; per document, the print time if that version was printed before."""
    case_id = case.id if case else None
    reprints: dict[str, datetime | None] = {}
    with write_transaction() as session:
        for doc, version in documents:
            stmt = select(PrintRecord.id).where(
                PrintRecord.doc == doc, PrintRecord.version == version
            )
            if case_id is not None:
                stmt = stmt.where(PrintRecord.case_id == case_id)
            else:
                stmt = stmt.where(
                    PrintRecord.case_id.is_(None), PrintRecord.incident_id == incident_id
                )
            earlier = session.scalar(stmt.limit(1))
            record = PrintRecord(
                case_id=case_id,
                incident_id=incident_id,
                doc=doc,
                version=version,
                is_reprint=earlier is not None,
                user_id=user.id,
            )
            session.add(record)
            session.flush()
            reprints[doc] = record.at if earlier is not None else None
        detail = ", ".join(
            f"{doc} v{version}{' (kopia)' if reprints[doc] else ''}" for doc, version in documents
        )
        log_event("print", user=user, case=case, incident_id=incident_id, detail=detail)
    return reprints


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
