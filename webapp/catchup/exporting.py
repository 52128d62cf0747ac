"""Producing a batch file in one of the export formats, and recording that it was made."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..audit import log_event
from ..extensions import db
from ..models import CATCHUP_STEPS, ExportBatch, Incident, User, utcnow
from ..siteconfig import SiteConfig
from ..storage import write_transaction
from .batch import CaseExport, build_batch

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


def last_export_time(incident_id: int) -> datetime | None:
    """When the previous batch of an incident was made (for 'changed since' exports)."""
    return db.session.scalar(
        select(ExportBatch.created_at)
        .where(ExportBatch.incident_id == incident_id)
        .order_by(ExportBatch.created_at.desc())
        .limit(1)
    )


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
    cases: list[CaseExport],
    *,
    incident: Incident,
    config: SiteConfig,
    since: datetime | None,
    generated_at: datetime,
    system_base: str,
    pdf_renderer: Callable[[list[CaseExport]], bytes] | None = None,
) -> bytes:
    """The bytes of one export format."""
    header = incident_header(incident, config)
    if fmt == "csv":
        from .export_csv import to_csv

        return to_csv(cases)
    if fmt == "json":
        from .export_json import to_json

        return to_json(
            cases,
            incident=header,
            generated_at=generated_at.isoformat(),
            since=since.isoformat() if since else None,
        ).encode("utf-8")
    if fmt == "fhir":
        import json

        from .export_fhir import to_fhir_bundle

        bundle = to_fhir_bundle(
            cases, incident=header, generated_at=generated_at.isoformat(), system_base=system_base
        )
        return json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8")
    if fmt == "pdf":
        if pdf_renderer is None:
            raise ValueError("no PDF renderer")
        return pdf_renderer(cases)
    raise ValueError(f"unknown format {fmt}")


def export_batch(
    *,
    incident: Incident,
    config: SiteConfig,
    fmt: str,
    user: User | None,
    changed_only: bool,
    system_base: str,
    document_urls: Callable[[list[int]], dict[int, list[dict[str, str]]]] | None = None,
    pdf_renderer: Callable[[list[CaseExport]], bytes] | None = None,
    is_final: bool = False,
) -> ExportFile:
    """Build one export of the batch and record it (and audit it) as an export."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    since = last_export_time(incident.id) if changed_only else None
    now = utcnow()
    urls = document_urls(_case_ids(incident.id)) if document_urls else None
    cases = build_batch(incident, config, since=since, document_urls=urls, steps=CATCHUP_STEPS)
    content = render_export(
        fmt,
        cases,
        incident=incident,
        config=config,
        since=since,
        generated_at=now,
        system_base=system_base,
        pdf_renderer=pdf_renderer,
    )
    mimetype, ext = FORMATS[fmt]
    suffix = "-slutlig" if is_final else ("-andringar" if changed_only else "")
    filename = f"avstamning-{config.code}-{incident.id}{suffix}-{now:%Y%m%d-%H%M}.{ext}"
    with write_transaction() as session:
        session.add(
            ExportBatch(
                incident_id=incident.id,
                format=fmt,
                since=since,
                case_count=len(cases),
                is_final=is_final,
                sha256=hashlib.sha256(content).hexdigest(),
                filename=filename,
                created_by_id=user.id if user else None,
            )
        )
        log_event(
            "export",
            user=user,
            incident_id=incident.id,
            detail=f"{fmt}, {len(cases)} ärenden{' (slutlig)' if is_final else ''}",
            site_id=incident.site_id,
        )
    return ExportFile(content=content, filename=filename, mimetype=mimetype, case_count=len(cases))


def _case_ids(incident_id: int) -> list[int]:
    from ..models import Case

    return list(db.session.scalars(select(Case.id).where(Case.incident_id == incident_id)))
