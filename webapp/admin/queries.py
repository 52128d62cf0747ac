"""Read helpers for the admin screens."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute

from ..audit_labels import action_label
from ..cases.fields import site_today
from ..csvutil import BOM, Identifier, excel_safe
from ..extensions import db
from ..identity import IdentityError, parse_personal_number
from ..models import AuditEvent, Case, Incident
from .case_spans import incident_spans
from .log_reads import LOG_READS, SHOWN_PATIENTS


def _without_dashes(column: InstrumentedAttribute[str]) -> ColumnElement[str]:
    # Reserve numbers are stored with their dashes ("RES-0007"), personnummer as twelve digits;
    # a patient named as typed (an image transfer's) may hold spaces.
    return func.replace(func.replace(column, "-", ""), " ", "")


def _patient_filter(site_id: int, patient: str) -> ColumnElement[bool]:
    """Events naming the patient, or of a case that is this patient's now."""
    try:
        # A whole personnummer is matched whole: its ten-digit form (121212-1212) is part of
        # another person's twelve digits (191212121212), who must not be in this one's extract.
        # Read on the site's date, as the case stored it: on the laptop's (UTC) a child born
        # today at the site is "in the future", or in ten digits a person born 100 years ago.
        exact = parse_personal_number(patient, site_today()).normalized
    except IdentityError:
        exact = ""
    wanted = exact or "".join(ch for ch in patient if ch.isalnum()).upper()
    if not wanted:
        # Punctuation alone would be contained in every patient: an extract for one patient
        # must never hold everyone's reads.
        return false()

    def matches(column: InstrumentedAttribute[str]) -> ColumnElement[bool]:
        bare = _without_dashes(column)
        # A transfer keeps a reserve number as typed ("res-0412"): PostgreSQL's LIKE tells
        # capitals apart where SQLite's does not, and no index serves a LIKE '%...%' anyway.
        return bare == wanted if exact else func.upper(bare).contains(wanted)

    # A case keeps its reads when the patient's identity is corrected (a reserve number
    # becomes a personnummer): those reads were of this patient too.
    theirs = Case.site_id == site_id, matches(Case.patient_id)
    return or_(
        matches(AuditEvent.patient_ref),
        AuditEvent.case_id.in_(select(Case.id).where(*theirs)),
        _lists_showing(*theirs),
        _log_reads_naming(wanted),
    )


def _log_reads_naming(wanted: str) -> ColumnElement[bool]:
    """Looks at the log that listed the patient without a case (named in their detail)."""
    # `wanted` is letters and digits only: nothing in it is a LIKE wildcard.
    listed = "".join(SHOWN_PATIENTS.split())
    return and_(
        AuditEvent.action.in_(LOG_READS),
        # In any capitals, as the patient's own column is matched (a number kept as typed).
        _without_dashes(AuditEvent.detail).ilike(f"%{listed}%{wanted}%"),
    )


# A board, a worklist, the batch page, an export and a printed list show every case of their
# incident as it stands, in one row that names the incident and no case.
INCIDENT_WIDE_READS = (
    "board_view",
    "board_refresh",
    "worklist_view",
    "batch_view",
    "export",
    "print",
)
# An OR of this many terms at most, nested beyond: SQLite parses a flat OR as a tree as deep as
# it is long, and refuses one deeper than 1,000.
_OR_WIDTH = 100


def _any(terms: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    if not terms:
        return false()
    while len(terms) > _OR_WIDTH:
        terms = [or_(*terms[i : i + _OR_WIDTH]) for i in range(0, len(terms), _OR_WIDTH)]
    return or_(*terms)


def _lists_showing(*which: ColumnElement[bool]) -> ColumnElement[bool]:
    """Reads naming no case that showed a case `which` selects: a list naming its code (the
    drafts, the reviewer's cases), or a whole incident's cases once it was among them.

    The cases are few (one patient's, or one), so they are read first and spelled out rather
    than joined to every row of the log.
    """
    cases = db.session.execute(select(Case.id, Case.code, Case.incident_id).where(*which)).all()
    codes = [code for _id, code, _incident in cases]
    spans = incident_spans([(case_id, incident_id) for case_id, _code, incident_id in cases])
    whole_incident = and_(
        AuditEvent.action.in_(INCIDENT_WIDE_READS),
        # One naming a patient with no case (a transfer's DVD label) showed that patient alone.
        AuditEvent.patient_ref == "",
        _any(
            [
                and_(
                    AuditEvent.incident_id == span.incident_id,
                    AuditEvent.id > span.after,
                    AuditEvent.id < span.before if span.before is not None else true(),
                )
                for span in spans
            ]
        ),
    )
    named = _any([AuditEvent.detail.contains(code, autoescape=True) for code in codes])
    return and_(AuditEvent.case_id.is_(None), or_(whole_incident, named))


@dataclass(frozen=True)
class IncidentName:
    """An incident as staff know it: its number (as its printed list names it) and its title."""

    id: int
    title: str
    is_drill: bool

    def as_text(self) -> str:
        """The title, and that it was a drill, as one cell of a file."""
        return self.title + (" (övning)" if self.is_drill else "")


def incident_names(site_id: int) -> dict[int, IncidentName]:
    """The site's incidents by id, the last declared first (a laptop holds a few dozen)."""
    rows = db.session.execute(
        select(Incident.id, Incident.title, Incident.is_drill)
        .where(Incident.site_id == site_id)
        .order_by(Incident.id.desc())
    )
    return {row.id: IncidentName(row.id, row.title, row.is_drill) for row in rows}


def audit_query(
    site_id: int,
    *,
    username: str = "",
    patient: str = "",
    action: str = "",
    case_code: str = "",
    incident_id: int | None = None,
) -> Select[AuditEvent, str]:
    """Audit events of a site with the code of their case (or None), filtered, the last written
    first."""
    stmt = (
        select(AuditEvent, Case.code.label("case_code"))
        .outerjoin(Case, Case.id == AuditEvent.case_id)
        .where(
            or_(
                AuditEvent.site_id == site_id,
                # A login with an unknown username belongs to no site; each site's admin sees
                # them, so names tried at the login page do not go unnoticed (nor the tries
                # that go on once the name is "locked").
                and_(
                    AuditEvent.site_id.is_(None),
                    AuditEvent.action.in_(("login_failed", "login_locked")),
                ),
            )
        )
    )
    if username:
        stmt = stmt.where(AuditEvent.username == username.strip().lower())
    if patient:
        stmt = stmt.where(_patient_filter(site_id, patient))
    if action:
        stmt = stmt.where(AuditEvent.action == action.strip())
    if incident_id is not None:
        stmt = stmt.where(AuditEvent.incident_id == incident_id)
    if case_code:
        code = case_code.strip().upper()
        # A scan holds the code as scanned in its detail, with or without the dash: a scan that
        # opened no case (refused, or of a binder blank not yet used), and a scan of a
        # documentation or report blank, which opens the case it joined under that case's code.
        scanned = func.upper(AuditEvent.detail)
        code_scanned = and_(
            AuditEvent.action.in_(("scan", "scan_refused")),
            or_(scanned.contains(code), scanned.contains(code.replace("-", ""))),
        )
        shown = _lists_showing(Case.site_id == site_id, Case.code == code)
        stmt = stmt.where(or_(Case.code == code, code_scanned, shown))
    # Read as what happened: in the order written, as the laptop's clock may have been set
    # back between two events (each shows the time it was stamped with).
    return stmt.order_by(AuditEvent.id.desc())


def audit_csv_rows(
    stmt: Select[AuditEvent, str],
    tz_format: Callable[[Any], str],
    incidents: Mapping[int, IncidentName],
) -> Iterator[str]:
    """Stream the audit log as CSV lines (UTF-8 BOM, semicolons: opens in Swedish Excel)."""
    yield BOM
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "tid",
            "användare",
            "roll",
            "vårdenhet",
            "adress",
            "händelse",
            "händelsebeskrivning",
            "driftstopp-id",
            "driftstopp",
            "ärende-id",
            "ärendekod",
            "patient",
            "detalj",
        ]
    )
    yield buffer.getvalue()
    for event, code in db.session.execute(stmt.execution_options(yield_per=500)):
        buffer.seek(0)
        buffer.truncate()
        incident = incidents.get(event.incident_id) if event.incident_id else None
        row = [
            tz_format(event.at),
            event.username,
            event.role,
            event.care_unit,
            # Identifiers, kept as written: Excel would read reserve number "1-12" as a date.
            Identifier(event.remote_addr),
            event.action,
            action_label(event.action),
            event.incident_id or "",
            incident.as_text() if incident else "",
            event.case_id or "",
            Identifier(code or ""),
            Identifier(event.patient_ref),
            event.detail,
        ]
        writer.writerow([excel_safe(v) for v in row])
        yield buffer.getvalue()
