"""Refusing a site configuration that drops a code still used by an open incident's cases."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Case, ExamRecord, Incident, Referral
from .siteconfig import SiteConfig, SiteConfigError

# Enough codes to find the cases on the board without a wall of text.
_SHOWN = 8


def check_codes_in_use(session: Session, site_id: int, config: SiteConfig) -> None:
    """Raise SiteConfigError when the new config lacks a code that open incidents still use.

    A case's edit forms only offer the config's codes, so a case whose priority, modality or
    room is gone can't be saved again until someone changes it; a case whose exam is gone
    loses the exam's safety questions (MR safety, pregnancy) on the board and in its forms.
    Ended incidents' cases are no longer edited, and cancelled cases can't be, so only the
    other cases count.
    """
    priorities = {p.code for p in config.priorities}
    modalities = {m.code for m in config.modalities}
    rooms = {r for m in config.modalities for r in m.rooms}
    exams = {e.code for e in config.exams}
    missing: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = session.execute(
        select(
            Case.code,
            Case.priority,
            Case.modality,
            ExamRecord.modality,
            ExamRecord.room,
            Referral.exam_code,
            ExamRecord.exam_code,
        )
        .join(Incident, Incident.id == Case.incident_id)
        .outerjoin(ExamRecord, ExamRecord.case_id == Case.id)
        .outerjoin(Referral, Referral.case_id == Case.id)
        .where(
            Case.site_id == site_id,
            Incident.ended_at.is_(None),
            Case.status != "cancelled",
        )
    )
    for case_code, priority, modality, exam_modality, room, *exam_codes in rows:
        if priority and priority not in priorities:
            missing[("prioriteten", priority)].add(case_code)
        for code in (modality, exam_modality):
            if code and code not in modalities:
                missing[("modaliteten", code)].add(case_code)
        if room and room not in rooms:
            missing[("rummet", room)].add(case_code)
        for code in exam_codes:
            if code and code not in exams:
                missing[("undersökningen", code)].add(case_code)
    problems = [
        f"{kind} {code} (ärende {_listed(cases)})"
        for (kind, code), cases in sorted(missing.items())
    ]
    incidents = session.execute(
        select(Incident.scenario, Incident.title).where(
            Incident.site_id == site_id,
            Incident.ended_at.is_(None),
            Incident.scenario.not_in(list(config.scenarios)),
        )
    ).all()
    problems += [f"scenariot {scenario} (driftstopp {title})" for scenario, title in incidents]
    if problems:
        raise SiteConfigError(
            "Konfigurationen saknar koder som används i pågående driftstopp: "
            + "; ".join(problems)
            + ". Behåll koderna tills driftstoppen är avslutade, eller ändra ärendena först."
        )


def _listed(codes: Iterable[str]) -> str:
    ordered = sorted(codes)
    shown = ", ".join(ordered[:_SHOWN])
    return shown if len(ordered) <= _SHOWN else f"{shown} och {len(ordered) - _SHOWN} till"
