"""The follow-up of an outage (Uppföljning av driftstoppet), for the RIS/PACS administrators.

Computed from what the app stored, for an ended outage or, provisionally, a running one.
Cases are named by their code only (see figures.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..late_drafts import late_drafts
from ..models import CatchupRecord, ExportBatch, Incident, User
from ..release_in_ris import due_notes
from ..reviewer_in_ris import wrong_answers_in_ris
from ..ris_pacs_left import cancelled_to_clean_up
from ..siteconfig import SiteConfig
from .figures import CaseFigures, case_figures
from .timeline import Timeline, incident_timeline


@dataclass(frozen=True)
class LateDraft:
    """A form sent after the end: its kind, its case's code (or the binder code typed into
    it), who sent it and when; never what it holds."""

    kind: str
    code: str
    who: str
    at: datetime


@dataclass(frozen=True)
class Export:
    at: datetime
    format: str
    cases: int
    is_final: bool
    who: str


@dataclass(frozen=True)
class CleanUp:
    """A cancelled case left in RIS or PACS: its code and what is there, never its patient
    (the accession and the modality's id find it there), and who recorded it cleaned up."""

    code: str
    accession: str
    temp_id: str
    images_sent: bool
    cleaned_by: str
    cleaned_at: datetime | None


@dataclass(frozen=True)
class RisRemoval:
    """A reviewer's answer entered in RIS on the wrong case and undone: its case's code only,
    which answer of the case (its number, 0 if not named, and when received), when it was
    undone, and who recorded it removed from RIS."""

    code: str
    undone_at: datetime
    removed_by: str
    removed_at: datetime | None
    answer_number: int = 0
    answer_received_at: datetime | None = None


@dataclass(frozen=True)
class ReleaseNoteLeft:
    """A release made in the outage whose referral note is to be written in RIS: its case's
    code and accession (which find it in RIS), when released, who recorded the note written
    there; never the patient nor the note (it names who got the images)."""

    case_id: int
    code: str
    accession: str
    released_at: datetime
    recorded_by: str
    recorded_at: datetime | None
    has_changed: bool


@dataclass(frozen=True)
class FollowUp:
    incident_id: int
    title: str
    is_drill: bool
    # A running outage: every figure is as of `as_of` and will change.
    is_provisional: bool
    as_of: datetime
    four_eyes: bool
    timeline: Timeline
    cases: CaseFigures
    late_drafts: tuple[LateDraft, ...]
    exports: tuple[Export, ...]
    clean_up: tuple[CleanUp, ...] = ()
    ris_removal: tuple[RisRemoval, ...] = ()
    release_notes: tuple[ReleaseNoteLeft, ...] = ()

    @property
    def codes(self) -> list[str]:
        """Every case code the report names (its access-log row lists them)."""
        f = self.cases
        named = [c.code for c in (*f.cancelled, *f.waived)] + [u.code for u in f.urgent]
        named += [
            *f.notices.untold,
            *f.faxing.unfaxed,
            *f.identity.corrected_cases,
            *f.identity.left_on_reserve,
        ]
        named += [m.code for m in f.on_modality]
        named += [d.code for d in self.late_drafts]
        named += [c.code for c in self.clean_up]
        named += [r.code for r in self.ris_removal]
        named += [n.code for n in self.release_notes]
        return sorted({c for c in named if c})


def followup_report(incident: Incident, config: SiteConfig, now: datetime) -> FollowUp:
    """The follow-up of the incident; `now` dates a running one's figures."""
    as_of = incident.ended_at or now
    return FollowUp(
        incident_id=incident.id,
        title=incident.title,
        is_drill=incident.is_drill,
        is_provisional=incident.is_open,
        as_of=as_of,
        four_eyes=config.four_eyes,
        timeline=incident_timeline(incident, config, as_of),
        cases=case_figures(incident.id, config, as_of),
        late_drafts=_late(incident),
        exports=_exports(incident.id),
        clean_up=tuple(
            CleanUp(c.code, c.accession, c.temp_id, c.images_sent, c.cleaned_by, c.cleaned_at)
            for c in cancelled_to_clean_up([incident.id])
        ),
        ris_removal=tuple(
            RisRemoval(
                w.code,
                w.undone_at,
                w.removed_by,
                w.removed_at,
                w.answer_number,
                w.answer_received_at,
            )
            for w in wrong_answers_in_ris(incident_ids=[incident.id])
        ),
        release_notes=_release_notes(incident.id),
    )


def _release_notes(incident_id: int) -> tuple[ReleaseNoteLeft, ...]:
    notes = due_notes(incident_id)
    case_ids = {n.case_id for n in notes}
    rows = (
        db.session.execute(
            select(CatchupRecord.case_id, CatchupRecord.ris_accession).where(
                CatchupRecord.case_id.in_(case_ids)
            )
        ).all()
        if case_ids
        else ()
    )
    accessions = {case_id: (accession or "").strip() for case_id, accession in rows}
    # Recorded for a text that changed since, RIS does not hold the note as it stands: shown
    # as changed, not as recorded.
    return tuple(
        ReleaseNoteLeft(
            n.case_id,
            n.code,
            accessions.get(n.case_id, ""),
            n.released_at,
            n.recorded_by if n.is_recorded else "",
            n.recorded_at if n.is_recorded else None,
            n.has_changed,
        )
        for n in notes
    )


def _late(incident: Incident) -> tuple[LateDraft, ...]:
    if incident.is_open:
        return ()
    return tuple(
        LateDraft(d.kind_label, d.case_code or d.typed_code, d.user_name, d.updated_at)
        for d in late_drafts(incident.site_id, incident.id)
    )


def _exports(incident_id: int) -> tuple[Export, ...]:
    rows = db.session.execute(
        select(
            ExportBatch.created_at,
            ExportBatch.format,
            ExportBatch.case_count,
            ExportBatch.is_final,
            User.display_name,
        )
        .outerjoin(User, User.id == ExportBatch.created_by_id)
        .where(ExportBatch.incident_id == incident_id)
        .order_by(ExportBatch.id)
    )
    return tuple(Export(r[0], r[1], r[2], r[3], r[4] or "") for r in rows)
