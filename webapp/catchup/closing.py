"""Closing an incident: nothing outstanding, then the final batch is written to disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..incidents.services import end_incident
from ..models import Incident, User
from ..siteconfig import SiteConfig
from .batch import CaseExport
from .exporting import FORMATS, export_batch


def close_incident(
    *,
    incident_id: int,
    user: User,
    config: SiteConfig,
    export_dir: Path,
    system_base: str,
    pdf_renderer: Callable[[list[CaseExport]], bytes] | None,
    document_urls: Callable[[list[int]], dict[int, list[dict[str, str]]]] | None = None,
    backup: Callable[[], object] | None = None,
    unidentified_confirmed: bool = False,
) -> list[Path]:
    """End the incident (refused while anything is outstanding) and save the final batch."""
    incident: Incident = end_incident(
        incident_id=incident_id, user=user, unidentified_confirmed=unidentified_confirmed
    )
    export_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in FORMATS:
        if fmt == "pdf" and pdf_renderer is None:
            continue
        export = export_batch(
            incident=incident,
            config=config,
            fmt=fmt,
            user=user,
            changed_only=False,
            system_base=system_base,
            document_urls=document_urls,
            pdf_renderer=pdf_renderer,
            is_final=True,
        )
        target = export_dir / export.filename
        tmp = target.with_suffix(target.suffix + ".tmp")
        with tmp.open("wb") as handle:
            handle.write(export.content)
            handle.flush()
            import os

            os.fsync(handle.fileno())
        tmp.replace(target)
        written.append(target)
    if backup is not None:
        backup()
    return written
