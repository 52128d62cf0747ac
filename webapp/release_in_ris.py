"""Releases of images whose referral note (remissanteckning) waits to be written in RIS.

The routine has every release written in the referral notes in RIS. One made in an outage
whose scenario has RIS down cannot be, nor one of an outage's case not yet booked in RIS
(booked_in_ris), RIS working or not: it is due (ImageRelease.ris_note_due) until a secretary
or admin records it written there from the case's catch-up page (catchup/release_notes.py), and
the incident it is filed under cannot end over it. A note that changed since it was recorded
(the media handed over afterwards) is due again: RIS is to hold the text as it stands.

Kept out of the packages, as ris_pacs_left: the catch-up, the closing checks and the exports
read it. A handful of releases an outage: read with the ORM.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from .extensions import db
from .identity import format_patient_id
from .models import CatchupRecord, CatchupTick, ImageRelease, Incident, ReleaseRisNote


def note_digest(text: str) -> str:
    """The note as a page shows it, short enough for a hidden field: a tick is of that text."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def booked_in_ris(session: Session, case_id: int) -> bool:
    """Whether RIS holds the case's order: its accession saved, or 'booked' ticked done.

    RIS working does not put an outage's case there: its referral came on paper, and the
    routines have it booked in RIS in the catch-up ("När Biztalk åter fungerar bokas
    undersökningarna in"). Until then the case has no referral notes in RIS to write in.
    """
    accession = session.scalar(
        select(CatchupRecord.ris_accession).where(CatchupRecord.case_id == case_id)
    )
    if (accession or "").strip():
        return True
    # Older data may hold a booking ticked without its accession (accession_rule).
    booked = session.scalar(
        select(CatchupTick.is_done)
        .where(CatchupTick.case_id == case_id, CatchupTick.step == "booked")
        .order_by(CatchupTick.id.desc())
        .limit(1)
    )
    return bool(booked)


@dataclass(frozen=True)
class ReleaseNote:
    """A release's referral note and whether RIS holds it as it stands."""

    release_id: int
    case_id: int
    incident_id: int | None
    code: str
    patient_name: str
    patient_number: str
    text: str
    released_at: datetime
    # Made in an outage: to be recorded as written in RIS. Else it went into RIS at once.
    is_due: bool
    # The outage it is filed under still runs: the tick can still be changed.
    incident_open: bool
    # The latest record of it written in RIS: by whom ("" if none, or undone), when, and the
    # text that was written.
    recorded_by: str = ""
    recorded_at: datetime | None = None
    recorded_text: str = ""

    @property
    def is_recorded(self) -> bool:
        return self.recorded_at is not None and self.recorded_text == self.text

    @property
    def has_changed(self) -> bool:
        """Recorded as written in RIS, but the note has changed since."""
        return self.recorded_at is not None and self.recorded_text != self.text

    @property
    def digest(self) -> str:
        return note_digest(self.text)

    @property
    def is_outstanding(self) -> bool:
        return self.is_due and not self.is_recorded


def _latest(release_ids: list[int]) -> dict[int, ReleaseRisNote]:
    latest: dict[int, ReleaseRisNote] = {}
    if not release_ids:
        return latest
    for entry in db.session.scalars(
        select(ReleaseRisNote)
        .where(ReleaseRisNote.release_id.in_(release_ids))
        .options(selectinload(ReleaseRisNote.user))
        # By id, not time: the laptop's clock may have been set back between two.
        .order_by(ReleaseRisNote.id)
    ):
        latest[entry.release_id] = entry
    return latest


def _read(*where: ColumnElement[bool]) -> list[ReleaseNote]:
    releases = list(
        db.session.scalars(
            select(ImageRelease)
            .where(*where)
            .options(selectinload(ImageRelease.case))
            .order_by(ImageRelease.id)
        )
    )
    latest = _latest([r.id for r in releases])
    filed = {r.incident_id for r in releases if r.incident_id is not None}
    ended = set(
        db.session.scalars(
            select(Incident.id).where(Incident.id.in_(filed), Incident.ended_at.is_not(None))
        )
    )
    notes = []
    for release in releases:
        case = release.case
        entry = latest.get(release.id)
        done = entry is not None and entry.is_done
        notes.append(
            ReleaseNote(
                release_id=release.id,
                case_id=case.id,
                incident_id=release.incident_id,
                code=case.code,
                patient_name=case.patient_name or "",
                patient_number=format_patient_id(case.patient_id_kind, case.patient_id),
                text=release.referral_note,
                released_at=release.created_at,
                is_due=release.ris_note_due,
                incident_open=release.incident_id not in ended,
                recorded_by=entry.user.display_name if entry and done else "",
                recorded_at=entry.at if entry and done else None,
                recorded_text=entry.note if entry and done else "",
            )
        )
    return notes


def notes_of_case(case_id: int) -> list[ReleaseNote]:
    """Every release of the case, in the order made (by id: the clock may have been set back)."""
    return _read(ImageRelease.case_id == case_id)


def notes_by_case(case_ids: Sequence[int]) -> dict[int, list[ReleaseNote]]:
    """Every release of each of the cases, in the order made; for the exports."""
    found: dict[int, list[ReleaseNote]] = defaultdict(list)
    if case_ids:
        for note in _read(ImageRelease.case_id.in_(case_ids)):
            found[note.case_id].append(note)
    return found


def due_notes(incident_id: int) -> list[ReleaseNote]:
    """The releases filed under the incident that were made in it, recorded or not."""
    return _read(ImageRelease.incident_id == incident_id, ImageRelease.ris_note_due.is_(True))


def not_in_ris(incident_id: int) -> list[ReleaseNote]:
    """The incident's releases whose note RIS does not hold as it stands: work that holds its
    end."""
    return [n for n in due_notes(incident_id) if n.is_outstanding]
