"""An earlier export made again for the cases it held, when its file was lost on the way.

A 'changed only' export is recorded as received when it is sent: if the tablet's download
fails, the next one starts after those changes. The secretary gets them back by downloading
that export again. The file holds exactly the cases the export held, with their data as it
is now, not as it was exported: the file is keyed into RIS now, and an identity or report
corrected since must not reach RIS in its superseded form. A case changed since is also in
the next 'changed only' export; keying it twice is harmless, missing it is not.

Downloading again records no new export: the next 'changed only' export still follows the
last real one, so the changes made since then are not skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from ..audit import log_event
from ..extensions import db
from ..models import CATCHUP_STEPS, Case, ExportBatch, Incident, User, utcnow
from ..siteconfig import SiteConfig
from ..storage import write_transaction
from .batch_reader import iter_batch
from .exporting import FORMATS, ExportFile, PdfRenderer, render_export
from .moved_out import exported_case_ids, moved_out, told_of

# The batch page lists this many of an incident's latest exports.
RECENT_EXPORTS = 20


class CannotExportAgain(Exception):
    """The export was made before the cases of each export were recorded."""


@dataclass(frozen=True)
class ExportListing:
    """One earlier export as the batch page lists it."""

    id: int
    format: str
    created_at: datetime
    created_by: str
    case_count: int
    since: datetime | None
    is_final: bool
    filename: str
    can_repeat: bool


def export_count(incident_id: int) -> int:
    """How many exports the incident has had: the list of the latest says when it holds fewer."""
    return int(
        db.session.scalar(
            select(func.count(ExportBatch.id)).where(ExportBatch.incident_id == incident_id)
        )
        or 0
    )


def recent_exports(incident_id: int, limit: int = RECENT_EXPORTS) -> list[ExportListing]:
    """An incident's latest exports, newest first."""
    rows = db.session.execute(
        select(
            ExportBatch.id,
            ExportBatch.format,
            ExportBatch.created_at,
            User.display_name,
            ExportBatch.case_count,
            ExportBatch.since,
            ExportBatch.is_final,
            ExportBatch.filename,
            ExportBatch.case_ids.is_not(None),
        )
        .outerjoin(User, User.id == ExportBatch.created_by_id)
        .where(ExportBatch.incident_id == incident_id)
        # In the order made, which a clock set back between two exports would not give.
        .order_by(ExportBatch.id.desc())
        .limit(limit)
    )
    return [
        ExportListing(
            id=row[0],
            format=row[1],
            created_at=row[2],
            created_by=row[3] or "",
            case_count=row[4],
            since=row[5],
            is_final=row[6],
            filename=row[7],
            can_repeat=bool(row[8]),
        )
        for row in rows
    ]


def again_filename(original: str, at: datetime, timezone: str) -> str:
    """The original file name marked as made again, and when (by the site's wall clock)."""
    path = PurePosixPath(original)
    # "x.fhir.json" keeps both suffixes after the mark.
    stem = path.name.split(".", 1)[0]
    suffix = path.name[len(stem) :]
    local = at.astimezone(ZoneInfo(timezone))
    return f"{stem}-igen-{local:%Y%m%d-%H%M}{suffix}"


def export_again(
    *,
    batch: ExportBatch,
    incident: Incident,
    config: SiteConfig,
    user: User | None,
    system_base: str | None = None,
    document_urls: Callable[[list[int]], dict[int, list[dict[str, str]]]] | None = None,
    pdf_renderer: PdfRenderer | None = None,
) -> ExportFile:
    """Make an earlier export again for the cases it held, and audit it as an export."""
    if batch.case_ids is None:
        raise CannotExportAgain(batch.filename)
    wanted = set(batch.case_ids)
    # In case order, as the export listed them; only cases still of this incident.
    case_ids = [
        case_id
        for case_id in db.session.scalars(
            select(Case.id)
            .where(Case.incident_id == incident.id)
            .order_by(Case.created_at, Case.id)
        )
        if case_id in wanted
    ]
    fmt = batch.format
    now = utcnow()
    # What the export told of cases moved out is told again: those an export up to this one
    # held, as they are now (a case moved out since is told too, as its data would be).
    withdrawn = moved_out(incident, held=exported_case_ids(incident.id, up_to=batch.id))
    content = render_export(
        fmt,
        iter_batch(
            incident,
            config,
            case_ids=case_ids,
            document_urls=document_urls if fmt == "json" else None,
            steps=CATCHUP_STEPS,
        ),
        case_ids=case_ids,
        incident=incident,
        config=config,
        since=batch.since,
        generated_at=now,
        system_base=system_base,
        pdf_renderer=pdf_renderer,
        withdrawn=withdrawn,
    )
    timezone = current_app.config["TIMEZONE"]
    filename = again_filename(batch.filename, now, timezone)
    original_at = batch.created_at.astimezone(ZoneInfo(timezone))
    detail = (
        f"{fmt}, {len(case_ids)} ärenden, igen: exporten {original_at:%Y-%m-%d %H:%M} "
        f"({batch.filename})" + told_of(withdrawn)
    )
    incident_id, site_id = incident.id, incident.site_id
    with write_transaction():
        log_event("export", user=user, incident_id=incident_id, detail=detail, site_id=site_id)
    return ExportFile(
        content=content,
        filename=filename,
        mimetype=FORMATS[fmt][0],
        case_count=len(case_ids),
    )
