"""The access log's reads of itself: which cases and patients a look at the log showed.

The log lists patients (a case's code, a number), so a look at it is a read of each of them, as
a board's or a list's is. A look is written as one row naming what it showed, as a list's read
is, never a row per patient: the next look lists that row too, and a row per patient it named
would make every look at the log grow it by a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select

from ..audit import CaseRef, log_event
from ..extensions import db

# Spelled as a list's read names its cases (audit.codes_detail): the patient filter finds a case
# named in the detail of any read that names no case.
SHOWN_CASES = "ärenden: "
# Patients listed without a case (a search for a number, a typed transfer): found by the patient
# filter after this, in the detail of the log's own reads only.
SHOWN_PATIENTS = "patienter utan ärende: "
LOG_READS = ("audit_view", "audit_export")
# What the detail column keeps of a row (audit._event_values cuts it there).
DETAIL_LENGTH = 2000
_PART = " · "


@dataclass(frozen=True)
class Shown:
    """The case codes and the patients without a case that a look at the log listed."""

    codes: frozenset[str]
    patients: frozenset[str]


def shown_on_page(rows: Iterable[Any]) -> Shown:
    """What a page of the log shows: rows of (AuditEvent, case code or None)."""
    codes: set[str] = set()
    patients: set[str] = set()
    for event, code in rows:
        if code:
            codes.add(code)
        elif event.patient_ref:
            patients.add(event.patient_ref)
    return Shown(frozenset(codes), frozenset(patients))


def shown_by_query(stmt: Select[Any]) -> Shown:
    """What the whole filtered log holds (a download), read in two queries of distinct values."""
    rows = stmt.order_by(None).subquery()
    codes = db.session.scalars(
        select(rows.c.case_code).where(rows.c.case_code.is_not(None)).distinct()
    )
    patients = db.session.scalars(
        select(rows.c.patient_ref)
        .where(rows.c.case_id.is_(None), rows.c.patient_ref != "")
        .distinct()
    )
    return Shown(frozenset(codes), frozenset(patients))


def shown_details(head: str, codes: Iterable[str], patients: Iterable[str]) -> list[str]:
    """The details naming the look's filter (head), its cases and its patients, each short
    enough for the detail column; a long download's list goes on in further rows."""
    details: list[str] = []
    current = head
    for mark, items in ((SHOWN_CASES, codes), (SHOWN_PATIENTS, patients)):
        started = False
        for item in sorted(set(items) - {""}):
            piece = ", " + item if started else (_PART if current else "") + mark + item
            if current and len(current) + len(piece) > DETAIL_LENGTH:
                details.append(current)
                current, piece = "", mark + item
            current += piece
            started = True
    return [*details, current]


def log_log_read(
    action: str, *, case: CaseRef | None, patient_ref: str, head: str, shown: Shown
) -> list[int]:
    """Write the look's rows in the current transaction; returns their ids.

    The first row names the filter and the case or patient searched for, as before; the
    cases and patients the look listed follow in its detail (and in more rows when long).
    """
    details = shown_details(head, shown.codes, shown.patients)
    ids = [log_event(action, case=case, detail=details[0], patient_ref=patient_ref)]
    ids += [log_event(action, detail=detail) for detail in details[1:]]
    return ids
