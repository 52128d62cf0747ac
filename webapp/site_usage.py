"""Refusing a site configuration that drops a code still used by an open incident's cases, and
a write of a case or incident whose code a save has just dropped.

The two checks take turns on the site's row: a save locks it to update before it reads the codes
in use, and a write that stores a code (a new case or incident, a change of scenario, a referral
edit, the exam's documentation, a new priority) share-locks it before it reads the
configuration as stored. Whichever comes second sees what the first wrote (PostgreSQL; SQLite
runs writes one at a time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from .models import Case, ExamRecord, Incident, Referral, Site
from .refusal import Message
from .siteconfig import SiteConfig, SiteConfigError, parse_site_config

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
    # The exam form takes a room only of its own modality: one moved to another is gone too.
    rooms_of = {m.code: set(m.rooms) for m in config.modalities}
    exams = {e.code for e in config.exams}
    # Picked with another modality than its own, an exam is refused by the form: the exam's
    # modality, or before the exam the referral's (the case's).
    exam_modality_of = {e.code: e.modality for e in config.exams}
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
    for case_code, priority, modality, exam_modality, room, referral_exam, done_exam in rows:
        if priority and priority not in priorities:
            missing[("prioriteten %(code)s", priority)].add(case_code)
        for code in (modality, exam_modality):
            if code and code not in modalities:
                missing[("modaliteten %(code)s", code)].add(case_code)
        if room and room not in rooms:
            missing[("rummet %(code)s", room)].add(case_code)
        elif room and exam_modality in rooms_of and room not in rooms_of[exam_modality]:
            missing[("rummet %(code)s", f"{room} ({exam_modality})")].add(case_code)
        for code in (referral_exam, done_exam):
            if code and code not in exams:
                missing[("undersökningen %(code)s", code)].add(case_code)
        # Once documented, the case is on the exam's modality and the referral may keep its own.
        on = (exam_modality, done_exam) if exam_modality is not None else (modality, referral_exam)
        if on[0] and on[1] in exam_modality_of and exam_modality_of[on[1]] != on[0]:
            missing[("undersökningen %(code)s", f"{on[1]} ({on[0]})")].add(case_code)
    # Named as a write refused for the same code names it (code_gone, below).
    problems = [
        Message(
            "%(what)s (ärende %(cases)s)",
            {"what": Message(kind, {"code": code}), "cases": _listed(cases)},
        )
        for (kind, code), cases in sorted(missing.items())
    ]
    incidents = session.execute(
        select(Incident.scenario, Incident.title).where(
            Incident.site_id == site_id,
            Incident.ended_at.is_(None),
            Incident.scenario.not_in(list(config.scenarios)),
        )
    ).all()
    problems += [
        Message(
            "scenariot %(scenario)s (driftstopp %(title)s)", {"scenario": scenario, "title": title}
        )
        for scenario, title in incidents
    ]
    if problems:
        raise SiteConfigError(
            "Konfigurationen saknar koder som används i pågående driftstopp: %(problems)s. "
            "Behåll koderna tills driftstoppen är avslutade, eller ändra ärendena först.",
            problems=Message.joined(problems, "; "),
        )


def _listed(codes: Iterable[str]) -> Message | str:
    ordered = sorted(codes)
    shown = ", ".join(ordered[:_SHOWN])
    if len(ordered) <= _SHOWN:
        return shown
    return Message("%(shown)s och %(n)s till", {"shown": shown, "n": len(ordered) - _SHOWN})


# FOR SHARE: new cases and incidents do not wait for each other, only for a save.
_STORED_TEXT = (
    select(Site.config_toml).where(Site.id == bindparam("site_id")).with_for_update(read=True)
)


def stored_config(session: Session, site_id: int) -> SiteConfig:
    """The site's configuration as saved now; its row stays share-locked until the commit.

    A write checks its codes against this, not against the configuration its form was drawn
    with: a save committed since (a code removed) is seen here, and a save not yet committed
    waits for this write and then finds its case among the codes in use.
    """
    text = session.execute(_STORED_TEXT, {"site_id": site_id}).scalar_one()
    return parse_site_config(text, strict=False)


def code_gone(
    config: SiteConfig,
    *,
    priority: str = "",
    modality: str = "",
    room: str = "",
    exam_code: str = "",
) -> tuple[str, Message] | None:
    """The first of a write's codes the configuration lacks: (the form field it is chosen in,
    what it is). The exam's code is picked by its name, so its message goes there."""
    if priority and priority not in {p.code for p in config.priorities}:
        return "priority", Message("prioriteten %(code)s", {"code": priority})
    if modality and config.modality(modality) is None:
        return "modality", Message("modaliteten %(code)s", {"code": modality})
    # Any modality's: the exam form itself refuses a room of another modality.
    if room and all(room not in m.rooms for m in config.modalities):
        return "room", Message("rummet %(code)s", {"code": room})
    if exam_code and config.exam(exam_code) is None:
        return "exam_text", Message("undersökningen %(code)s", {"code": exam_code})
    return None


def case_codes_gone(config: SiteConfig, case: Case) -> list[Message]:
    """Every code a case holds that the configuration lacks, as check_codes_in_use counts them:
    for a cancelled case, which that check leaves out, before it is back among the others."""
    referral, exam = case.referral, case.exam
    held = [
        {"priority": case.priority},
        {"modality": case.modality},
        {"exam_code": referral.exam_code if referral else ""},
    ]
    if exam is not None:
        held += [{"modality": exam.modality}, {"room": exam.room}, {"exam_code": exam.exam_code}]
    gone = [code_gone(config, **codes) for codes in held]
    return list(dict.fromkeys(what for _, what in filter(None, gone)))
