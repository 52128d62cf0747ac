"""Producing a batch file in one of the export formats, and recording that it was made."""

from __future__ import annotations

import hashlib
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ..audit import log_event
from ..extensions import db
from ..models import CATCHUP_STEPS, ExportBatch, Incident, User, utcnow
from ..siteconfig import SiteConfig
from ..storage import write_transaction
from .batch import CaseExport
from .batch_reader import batch_case_ids, iter_batch
from .digests import ChangedCases
from .moved_out import MovedOut, moved_out, to_tell_since, told_of

# The PDF checklist's drawing, from the print feature: the cases, then those moved out, and
# the previous export a 'changed only' checklist follows (None: the whole batch).
PdfRenderer = Callable[[list[CaseExport], Sequence[MovedOut], datetime | None], bytes]

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "fhir": ("application/fhir+json", "fhir.json"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    mimetype: str
    case_count: int
    # The previous export of the format a 'changed only' file follows; None: the whole batch.
    previous: datetime | None = None


class NothingChanged(Exception):
    """A 'changed only' export found no case changed since the previous one: no file is made.

    An empty file would be recorded as received, and written over a changes file not yet
    imported it would lose that one.
    """

    def __init__(self, previous: datetime) -> None:
        super().__init__(previous.isoformat())
        self.previous = previous


def last_export_times(incident_id: int) -> dict[str, datetime]:
    """When each format of an incident's batch was last exported (its cases read)."""
    rows = db.session.execute(
        select(ExportBatch.format, ExportBatch.created_at)
        .where(ExportBatch.incident_id == incident_id)
        # The export written last, whatever its time: the laptop's clock may have been set
        # back between two, and the page names the one a 'changed only' export follows.
        .order_by(ExportBatch.id)
    )
    return {fmt: at for fmt, at in rows}


@dataclass(frozen=True)
class PreviousExport:
    """The export a 'changed only' one follows: when it was made, and what its reader has."""

    at: datetime
    # Each case's digest as that export read it (see digests.py); None for an export made
    # before they were kept, after which every case counts as changed. Empty is an export that
    # read no case (every one moved out): what it told of stays told.
    digests: dict[str, str] | None


def previous_export(incident_id: int, fmt: str) -> PreviousExport | None:
    """The previous export of the same format, which a 'changed only' export follows.

    Per format because each goes to its own reader: printing the PDF checklist must not hide a
    change from the secretary who imports the CSV.
    """
    row = db.session.execute(
        select(ExportBatch.created_at, ExportBatch.case_digests)
        .where(ExportBatch.incident_id == incident_id, ExportBatch.format == fmt)
        # The export written last, whatever its time: its reader has its cases as it held them.
        .order_by(ExportBatch.id.desc())
        .limit(1)
    ).first()
    return PreviousExport(row[0], row[1]) if row is not None else None


def file_part(text: str) -> str:
    """Text as part of a file name: a site's code is free text, and a slash in it would name a
    folder that does not exist when the final batch is written."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in text)


def attachment_header(filename: str) -> str:
    """The Content-Disposition of a download; a name outside ASCII goes in filename* (RFC 6266),
    as the header itself is sent in Latin-1 and a site's code may hold any letter."""
    simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    header = f'attachment; filename="{simple}"'
    if simple != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def fhir_system_base(site_code: str) -> str:
    """The base of the FHIR export's own identifier systems and fullUrls for a site.

    Fixed per installation and site, never taken from the address the export was asked at: the
    receiving side matches re-exports by these systems, and a tablet over HTTPS, the laptop
    itself and the export command each reach the app at another address.
    """
    configured = str(current_app.config.get("FHIR_SYSTEM_BASE") or "").rstrip("/")
    return f"{configured}/{site_code}" if configured else f"urn:reservrutin:{site_code}"


def incident_header(incident: Incident, config: SiteConfig) -> dict[str, object]:
    """The incident as it heads every export."""
    return {
        "id": incident.id,
        "site": config.code,
        "department": config.department,
        "scenario": incident.scenario,
        "title": incident.title,
        "is_drill": incident.is_drill,
        "started_at": incident.started_at.isoformat(),
        "ended_at": incident.ended_at.isoformat() if incident.ended_at else None,
    }


def render_export(
    fmt: str,
    cases: Iterable[CaseExport],
    *,
    case_ids: Sequence[int],
    incident: Incident,
    config: SiteConfig,
    since: datetime | None,
    generated_at: datetime,
    system_base: str | None = None,
    pdf_renderer: PdfRenderer | None = None,
    withdrawn: Sequence[MovedOut] = (),
) -> bytes:
    """The bytes of one export format; every format but the PDF is written case by case.

    withdrawn: cases moved out of the incident after RIS heard of them (moved_out, to_tell_since).
    case_ids: the cases read (in a 'changed only' export, also those not written): a FHIR
    Patient carries the earlier identities of all its cases.
    """
    header = incident_header(incident, config)
    if fmt == "pdf":
        if pdf_renderer is None:
            raise ValueError("no PDF renderer")
        return pdf_renderer(list(cases), withdrawn, since)
    chunks: Iterable[str]
    if fmt == "csv":
        from .export_csv import iter_csv

        chunks = iter_csv(
            cases,
            timezone=current_app.config["TIMEZONE"],
            steps=CATCHUP_STEPS,
            withdrawn=withdrawn,
        )
    elif fmt == "json":
        from .export_json import iter_json

        chunks = iter_json(
            cases,
            incident=header,
            generated_at=generated_at.isoformat(),
            since=since.isoformat() if since else None,
            withdrawn=withdrawn,
        )
    elif fmt == "fhir":
        from .export_fhir import fhir_priority_map, iter_fhir_bundle
        from .identities import earlier_identities_by_patient

        # The site's own ranking says how urgent each of its codes is; guessing from Swedish
        # words is left for codes the configuration no longer lists.
        ranks = {p.code: p.rank for p in config.priorities}
        chunks = iter_fhir_bundle(
            cases,
            incident=header,
            generated_at=generated_at.isoformat(),
            system_base=system_base or fhir_system_base(config.code),
            priority_map=fhir_priority_map(ranks),
            withdrawn=withdrawn,
            history=earlier_identities_by_patient(db.session, case_ids),
        )
    else:
        raise ValueError(f"unknown format {fmt}")
    # BytesIO hands its buffer over without a copy, so the file is held in memory only once.
    out = io.BytesIO()
    for chunk in chunks:
        out.write(chunk.encode("utf-8"))
    return out.getvalue()


def export_batch(
    *,
    incident: Incident,
    config: SiteConfig,
    fmt: str,
    user: User | None,
    changed_only: bool,
    system_base: str | None = None,
    document_urls: Callable[[list[int]], dict[int, list[dict[str, str]]]] | None = None,
    pdf_renderer: PdfRenderer | None = None,
    is_final: bool = False,
    save: Callable[[bytes, str], None] | None = None,
) -> ExportFile:
    """Build one export of the batch and record it (and audit it) as an export.

    system_base: the FHIR identifier base, if not the site's own (fhir_system_base).
    save: writes the content (and gets the file name) before the export is recorded; if it
    raises, nothing is recorded, so the next 'changed only' export still has these changes.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    now = utcnow()
    # With no earlier export of the format, 'changed only' is everything: the whole batch.
    previous = previous_export(incident.id, fmt) if changed_only else None
    since = previous.at if previous is not None else None
    # Every case is read, changed or not: what it holds now is compared with what the previous
    # export held of it, and kept for the next one.
    case_ids = batch_case_ids(incident.id)
    cases = ChangedCases(
        case_ids,
        iter_batch(
            incident,
            config,
            case_ids=case_ids,
            # Only the JSON batch carries the document links.
            document_urls=document_urls if fmt == "json" else None,
            steps=CATCHUP_STEPS,
        ),
        held=(previous.digests or {}) if previous is not None else None,
    )
    # Cases moved out: a 'changed only' export names those it has not told of yet
    # (to_tell_since), a whole batch all ever exported or keyed.
    if previous is not None and previous.digests is not None:
        withdrawn = to_tell_since(incident, fmt, {int(k) for k in previous.digests})
    else:
        withdrawn = moved_out(incident)
    content = render_export(
        fmt,
        cases,
        case_ids=case_ids,
        incident=incident,
        config=config,
        since=since,
        generated_at=now,
        system_base=system_base,
        pdf_renderer=pdf_renderer,
        withdrawn=withdrawn,
    )
    if since is not None and not cases.sent and not withdrawn:
        raise NothingChanged(since)
    mimetype, ext = FORMATS[fmt]
    suffix = "-slutlig" if is_final else ("-andringar" if since is not None else "")
    # A drill's file must not pass for an outage's when it is opened or imported.
    if incident.is_drill:
        suffix = f"-ovning{suffix}"
    # Named by the site's wall clock: staff match the file to the time the screen showed.
    local = now.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    filename = (
        f"avstamning-{file_part(config.code)}-{incident.id}{suffix}-{local:%Y%m%d-%H%M}.{ext}"
    )
    if save is not None:
        save(content, filename)
    with write_transaction() as session:
        session.add(
            ExportBatch(
                incident_id=incident.id,
                format=fmt,
                since=since,
                case_count=len(cases.sent),
                is_final=is_final,
                sha256=hashlib.sha256(content).hexdigest(),
                filename=filename,
                # The moved-out cases it told of too: the next 'changed only' export of the
                # format does not tell of them again (to_tell_since).
                case_ids=cases.sent + [m.case_id for m in withdrawn],
                case_digests=cases.digests,
                created_by_id=user.id if user else None,
                created_at=now,
            )
        )
        log_event(
            "export",
            user=user,
            incident_id=incident.id,
            detail=f"{fmt}, {len(cases.sent)} ärenden{' (slutlig)' if is_final else ''}"
            + told_of(withdrawn),
            site_id=incident.site_id,
        )
    return ExportFile(
        content=content,
        filename=filename,
        mimetype=mimetype,
        case_count=len(cases.sent),
        previous=since,
    )
