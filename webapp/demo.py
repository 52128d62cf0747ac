"""A drill incident full of fictional cases, written through the same services as the forms.

Each case gets a `CasePlan` with a target status; `advance_to` runs the steps of `PATHS` that lead
there. To add a state (report, catch-up), write a step function and add a path and a share.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import func, select

from . import demo_data as data
from .auth.services import create_user
from .cases.services import cancel_case, correct_identity, create_case, document_exam, payload_hash
from .demo_data import PatientPlan, plan_patient, plan_unidentified
from .extensions import db
from .incidents.services import declare_incident
from .models import CASE_STATUSES, Case, Incident, Site, User, utcnow
from .siteconfig import Exam, SiteConfig
from .sites import site_config
from .storage import write_transaction

# Share of cases per target status; every target gets at least one case when there is room.
TARGET_SHARES = {"referral_received": 0.35, "exam_done": 0.55, "cancelled": 0.10}


@dataclass
class CasePlan:
    """Everything one fictional case will become; times are minutes before `now`."""

    target: str
    patient: PatientPlan
    exam: Exam
    priority: str
    referral: dict[str, Any]
    arrived_ago: int
    exam_values: dict[str, Any] = field(default_factory=dict)
    cancel_reason: str = ""
    corrected: PatientPlan | None = None
    identity_reason: str = ""
    case_id: int | None = None  # set by the first step


@dataclass
class DemoContext:
    """What the steps share: who acts, in which incident, relative to which moment."""

    config: SiteConfig
    incident: Incident
    staff: dict[str, list[User]]
    now: datetime

    def actor(self, role: str, index: int = 0) -> User:
        """A demo user of the role, picked round-robin."""
        users = self.staff[role]
        return users[index % len(users)]


@dataclass(frozen=True)
class DemoResult:
    incident_id: int
    incident_title: str
    counts: dict[str, int]
    staff: list[data.StaffSpec]


# --- referral and exam content ----------------------------------------------------------------


def needs(config: SiteConfig, exam: Exam, patient: PatientPlan, today: date) -> dict[str, bool]:
    """Which safety facts the referral form demands for this exam and patient."""
    modality = config.modality(exam.modality)
    age = patient.age(today)
    # The form asks at 10–60; a year's margin either side so a birthday between planning and a
    # later re-validation never leaves the answer missing.
    may_be_pregnant = patient.sex != "M" and (age is None or 9 <= age <= 61)
    return {
        "contrast": exam.contrast,
        "mr": exam.mr_safety or bool(modality and modality.mr_safety),
        "pregnancy": may_be_pregnant and (exam.pregnancy or bool(modality and modality.pregnancy)),
    }


def safety_facts(rng: Random, need: dict[str, bool], today: date) -> dict[str, Any]:
    """Safety answers that satisfy the form's rule, with realistic variety."""
    facts: dict[str, Any] = {
        "contrast_allergy": "",
        "egfr": None,
        "creatinine": None,
        "kidney_measured_on": None,
        "kidney_unknown": False,
        "metformin": "",
        "pregnancy": "",
        "pacemaker": "",
        "implants": "",
        "implants_note": "",
    }
    if need["contrast"]:
        facts["contrast_allergy"] = rng.choices(["no", "unknown", "yes"], [8, 2, 1])[0]
        facts["metformin"] = rng.choices(["no", "yes", "unknown"], [6, 2, 1])[0]
        if rng.random() < 0.15:
            facts["kidney_unknown"] = True  # acute patient, no lab yet
        else:
            facts["egfr"] = float(rng.randint(35, 110))
            facts["creatinine"] = float(rng.randint(55, 160))
            facts["kidney_measured_on"] = today - timedelta(days=rng.randint(0, 20))
    if need["mr"]:
        facts["pacemaker"] = rng.choices(["no", "unknown"], [9, 1])[0]
        facts["implants"] = rng.choices(["no", "yes"], [4, 1])[0]
        if facts["implants"] == "yes":
            facts["implants_note"] = rng.choice(data.IMPLANT_NOTES)
    if need["pregnancy"]:
        facts["pregnancy"] = rng.choices(["no", "unknown"], [5, 1])[0]
    return facts


def plan_referral(
    rng: Random, config: SiteConfig, exam: Exam, patient: PatientPlan, arrived_at: datetime
) -> dict[str, Any]:
    """The referral dict, keyed like the view's REFERRAL_FIELDS."""
    today = arrived_at.date()
    indication = rng.choice(data.INDICATIONS.get(exam.code, (data.GENERIC_INDICATION,)))
    referrer = data.REFERRERS[rng.choice(indication.referrers)]
    return {
        "referrer_unit": referrer.unit,
        "referrer_clinician": referrer.clinician,
        "referrer_phone": referrer.phone,
        "reply_fax": referrer.reply_fax,
        "exam_code": exam.code,
        "exam_text": exam.name,
        "contrast_planned": exam.contrast,
        "clinical_question": indication.question,
        "history": indication.history,
        **safety_facts(rng, needs(config, exam, patient, today), today),
        "arrived_via": rng.choices(["fax", "paper", "phone"], [7, 2, 1])[0],
        "arrived_at": arrived_at,
    }


def plan_exam(
    rng: Random, config: SiteConfig, exam: Exam, arrived_at: datetime, serial: int
) -> dict[str, Any]:
    """The documentation dict, keyed like the view's EXAM_FIELDS, with doses for the modality."""
    profile = data.EXAM_PROFILES.get(
        exam.code, data.MODALITY_PROFILES.get(exam.modality, data.DEFAULT_PROFILE)
    )
    modality = config.modality(exam.modality)
    rooms = modality.rooms if modality and modality.rooms else ("",)
    room_index = rng.randrange(len(rooms))
    started_at = arrived_at + timedelta(minutes=rng.randint(8, 25))
    ended_at = started_at + timedelta(minutes=rng.randint(*profile.minutes))
    pacs_status = rng.choices(["yes", "failed"], [12, 1])[0]
    radiographers = [s.display_name for s in data.DEMO_STAFF if s.role == "radiographer"]

    def between(bounds: tuple[float, float] | None, digits: int = 1) -> float | None:
        return round(rng.uniform(*bounds), digits) if bounds else None

    contrast = exam.contrast and profile.contrast_ml is not None
    return {
        "modality": exam.modality,
        "room": rooms[room_index],
        "exam_code": exam.code,
        "exam_text": exam.name,
        "started_at": started_at,
        "ended_at": ended_at,
        "radiographers": ", ".join(rng.sample(radiographers, rng.choice([1, 1, 2]))),
        # What the radiographer typed on the modality; later matched to the images in PACS.
        "modality_temp_id": f"TMP-{exam.modality}{room_index + 1}-{serial:04d}",
        "contrast_agent": data.CONTRAST_AGENT if contrast else "",
        "contrast_volume_ml": float(rng.randint(*profile.contrast_ml))
        if contrast and profile.contrast_ml
        else None,
        "contrast_route": "iv" if contrast else "",
        "dlp_mgycm": between(profile.dlp, 0),
        "ctdivol_mgy": between(profile.ctdivol),
        "dap_gycm2": between(profile.dap, 2),
        "fluoro_seconds": None,
        "series_count": rng.randint(*profile.series),
        "image_count": rng.randint(*profile.images),
        "pacs_status": pacs_status,
        "pacs_sent_at": ended_at + timedelta(minutes=2) if pacs_status == "yes" else None,
        "complications": "",
        "notes": rng.choice(data.EXAM_NOTES) if rng.random() < 0.2 else "",
    }


# --- planning ---------------------------------------------------------------------------------


def target_counts(n: int) -> dict[str, int]:
    """How many cases end in each target status (sums to n)."""
    counts = {t: int(share * n) for t, share in TARGET_SHARES.items()}
    if n >= len(counts):
        counts = {t: max(1, c) for t, c in counts.items()}
    largest = max(TARGET_SHARES, key=lambda t: TARGET_SHARES[t])
    counts[largest] += n - sum(counts.values())
    return counts


def build_plans(rng: Random, config: SiteConfig, n: int, now: datetime) -> list[CasePlan]:
    """Plan n cases deterministically from the random generator."""
    today = now.date()
    targets = [t for t, c in target_counts(n).items() for _ in range(c)]
    rng.shuffle(targets)
    unidentified = set(rng.sample(range(n), min(n // 2, max(3, n // 10))))
    corrected = min(unidentified, default=None) if len(unidentified) >= 2 else None
    coordination = set(rng.sample(sorted(set(range(n)) - unidentified), min(2, n // 10)))
    priorities = [p.code for p in sorted(config.priorities, key=lambda p: p.rank)]
    weights = [*data.PRIORITY_WEIGHTS, *[0.1] * len(priorities)][: len(priorities)]
    serial = rng.randint(100, 900)
    plans = []
    for i, target in enumerate(targets):
        exam = rng.choice(config.exams)
        if i in unidentified:
            patient = plan_unidentified(rng, today, serial + i)
        else:
            patient = plan_patient(rng, today, coordination=i in coordination)
        # Documented exams arrived long enough ago to have been started, done and sent.
        arrived_ago = rng.randint(70, 300) if target == "exam_done" else rng.randint(5, 240)
        arrived_at = now - timedelta(minutes=arrived_ago)
        plan = CasePlan(
            target=target,
            patient=patient,
            exam=exam,
            priority=rng.choices(priorities, weights)[0],
            referral=plan_referral(rng, config, exam, patient, arrived_at),
            arrived_ago=arrived_ago,
        )
        if target == "exam_done":
            plan.exam_values = plan_exam(rng, config, exam, arrived_at, serial + i)
        if target == "cancelled":
            plan.cancel_reason = rng.choice(data.CANCEL_REASONS)
        if i == corrected:
            # The real identity fits what the staff saw: same sex, about the guessed age.
            plan.corrected = plan_patient(
                rng, today, sex=patient.sex, age=(patient.age_approx or 50) + rng.randint(-3, 3)
            )
            plan.identity_reason = rng.choice(data.IDENTITY_REASONS)
        plans.append(plan)
    return plans


# --- steps ------------------------------------------------------------------------------------

Step = Callable[[DemoContext, CasePlan], None]


def _key_and_digest(values: dict[str, Any]) -> tuple[str, str]:
    key = secrets.token_urlsafe(24)
    return key, payload_hash({"form_key": key, **values})


def receive_referral(ctx: DemoContext, plan: CasePlan) -> None:
    """Register the faxed referral, as the referral form does."""
    key, digest = _key_and_digest(plan.referral)
    result = create_case(
        user=ctx.actor("radiographer", plan.arrived_ago),
        incident=ctx.incident,
        identity=plan.patient.identity(),
        priority=plan.priority,
        modality=plan.exam.modality,
        referral=plan.referral,
        form_key=key,
        digest=digest,
        url_for_case=lambda case: f"/cases/{case.id}",
    )
    plan.case_id = result.case_id


def identify_patient(ctx: DemoContext, plan: CasePlan) -> None:
    """Replace the reserve number with the real identity, as the identity form does."""
    assert plan.case_id is not None and plan.corrected is not None
    correct_identity(
        case_id=plan.case_id,
        user=ctx.actor("radiographer", plan.arrived_ago + 1),
        identity=plan.corrected.identity(),
        reason=plan.identity_reason,
    )


def perform_exam(ctx: DemoContext, plan: CasePlan) -> None:
    """Document the exam on the modality, as the documentation form does."""
    assert plan.case_id is not None
    key, digest = _key_and_digest(plan.exam_values)
    document_exam(
        case_id=plan.case_id,
        user=ctx.actor("radiographer", plan.arrived_ago + 2),
        values=plan.exam_values,
        form_key=key,
        digest=digest,
        url=f"/cases/{plan.case_id}",
    )


def cancel(ctx: DemoContext, plan: CasePlan) -> None:
    """Cancel the case with its reason."""
    assert plan.case_id is not None
    cancel_case(case_id=plan.case_id, user=ctx.actor("radiologist"), reason=plan.cancel_reason)


# The steps that lead to each target status, in order; extend here for report and catch-up.
PATHS: dict[str, tuple[Step, ...]] = {
    "referral_received": (receive_referral,),
    "exam_done": (receive_referral, perform_exam),
    "cancelled": (receive_referral, cancel),
}


def steps_for(plan: CasePlan) -> list[Step]:
    """The steps of the plan's path, with the identity correction right after the referral."""
    steps = list(PATHS[plan.target])
    if plan.corrected is not None:
        steps.insert(1, identify_patient)
    return steps


def advance_to(ctx: DemoContext, plan: CasePlan) -> None:
    """Run every step that brings the planned case to its target status."""
    for step in steps_for(plan):
        step(ctx, plan)


# --- the command ------------------------------------------------------------------------------


def ensure_staff(site_id: int) -> dict[str, list[User]]:
    """Create the demo users that are missing; reuse the rest."""
    staff: dict[str, list[User]] = {}
    for spec in data.DEMO_STAFF:
        user = db.session.scalar(select(User).where(User.username == spec.username))
        if user is None:
            user = create_user(
                site_id=site_id,
                username=spec.username,
                display_name=spec.display_name,
                role=spec.role,
                secret=data.DEMO_PIN,
            )
        staff.setdefault(spec.role, []).append(user)
    return staff


def run_demo(
    *, cases: int, seed: int = 1, scenario: str = "om_ris", now: datetime | None = None
) -> DemoResult:
    """Declare a drill incident and fill it with planned cases (needs an app context)."""
    now = now or utcnow()
    site = db.session.scalar(select(Site).order_by(Site.id))
    if site is None:
        raise RuntimeError("no site: run the app's prepare step first")
    config = site_config(site)
    staff = ensure_staff(site.id)
    plans = build_plans(Random(seed), config, cases, now)
    incident = declare_incident(
        user=staff["admin"][0],
        config=config,
        scenario=scenario,
        is_drill=True,
        notes=f"Övning skapad med demo-data ({cases} ärenden, frö {seed}).",
    )
    with write_transaction() as session:
        # Backdated so the referrals arrive during the drill, not before it started.
        fresh = session.get(Incident, incident.id)
        assert fresh is not None
        fresh.started_at = now - timedelta(minutes=max(p.arrived_ago for p in plans) + 10)
    ctx = DemoContext(config=config, incident=incident, staff=staff, now=now)
    for plan in sorted(plans, key=lambda p: -p.arrived_ago):  # in order of arrival
        advance_to(ctx, plan)
    rows = db.session.execute(
        select(Case.status, func.count(Case.id))
        .where(Case.incident_id == incident.id)
        .group_by(Case.status)
    ).all()
    return DemoResult(
        incident_id=incident.id,
        incident_title=incident.title,
        counts={status: int(count) for status, count in rows},
        staff=list(data.DEMO_STAFF),
    )


def format_summary(result: DemoResult) -> str:
    """The text the drill leader reads after the command."""
    lines = [
        f"Övningsdriftstopp {result.incident_id} skapat: {result.incident_title}",
        f"Ärenden: {sum(result.counts.values())}",
        *(f"  {s}: {result.counts[s]}" for s in CASE_STATUSES if s in result.counts),
        f"Inloggning (PIN {data.DEMO_PIN} för alla):",
        *(f"  {s.username:<12} {s.role:<13} {s.display_name}" for s in result.staff),
    ]
    return "\n".join(lines)
