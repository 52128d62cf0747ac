"""Closing an incident: nothing outstanding, then the final batch is written to disk."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..backup_errors import failure_reason
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..file_rights import make_private_folders, tighten
from ..incidents.close_checks import NOTHING_CONFIRMED, CloseConfirmations
from ..incidents.ending import end_incident
from ..models import Incident, User
from ..site_files import write_atomically
from ..siteconfig import SiteConfig
from .exporting import FORMATS, PdfRenderer, export_batch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ClosedIncident:
    """What closing achieved beyond ending the incident, for the admin to be told."""

    files: list[Path] = field(default_factory=list)
    # Why the final batch could not be written to disk: a FAILURE_REASONS key, for the admin
    # to be told in their language ("" when it was written). The system's words go to the log.
    export_problem: str = ""
    backup: Path | None = None
    # The close form sent again: the first close wrote the batch and took the backup.
    replayed: bool = False


def close_incident(
    *,
    incident_id: int,
    user: User,
    config: SiteConfig,
    export_dir: Path,
    pdf_renderer: PdfRenderer | None,
    document_urls: Callable[[list[int]], dict[int, list[dict[str, str]]]] | None = None,
    backup: Callable[[], Path | None] | None = None,
    confirmed: CloseConfirmations = NOTHING_CONFIRMED,
    sent: SentOnce = NOT_SENT,
) -> ClosedIncident:
    """End the incident (refused while anything is outstanding) and save the final batch.

    Once ended, the incident stays ended: a final batch that cannot be written (a full or
    missing disk) or made is reported, and the backup is taken all the same. The same form
    sent again (a double tap) writes no second batch or backup.
    """
    ended = end_incident(
        incident_id=incident_id,
        user=user,
        confirmed=confirmed,
        config=config,
        sent=sent,
    )
    if isinstance(ended, SubmitResult):
        return ClosedIncident(replayed=True)
    incident: Incident = ended
    written: list[Path] = []
    problem = ""

    def save(content: bytes, name: str) -> None:
        write_atomically(export_dir / name, content)
        written.append(export_dir / name)

    try:
        # Every patient of the outage is in the batch: the folder is the app's own account's
        # alone, made so, and one an older version left readable by others is tightened.
        make_private_folders(export_dir)
        tighten(export_dir)
        for fmt in FORMATS:
            if fmt == "pdf" and pdf_renderer is None:
                continue
            # Written before the export is recorded: a file lost to a full disk must not stand
            # in the batch's exports and the access log as a final batch made.
            export_batch(
                incident=incident,
                config=config,
                fmt=fmt,
                user=user,
                changed_only=False,
                document_urls=document_urls,
                pdf_renderer=pdf_renderer,
                is_final=True,
                save=save,
            )
    except OSError as exc:
        log.error("The final batch of incident %s could not be written: %s", incident_id, exc)
        problem = failure_reason(exc)
    except Exception as exc:
        # The incident has ended whatever fails here (a sheet that cannot be drawn): the admin
        # is told, as for a full disk, and the backup below is still taken.
        log.exception("The final batch of incident %s could not be made", incident_id)
        problem = failure_reason(exc)
    taken = backup() if backup is not None else None
    return ClosedIncident(files=written, export_problem=problem, backup=taken)
