"""A drill incident full of fictional cases, written through the same services as the forms.

Each case gets a `CasePlan` with a target state; `demo_steps.advance_to` runs the steps of its
`PATHS` that lead there. To add a state, write its step functions (in a module of their own, like
`demo_reports` and `demo_catchup`), then add a path in `demo_steps` and a share here. Every
target gets one case before any gets a second, so `--cases MIN_CASES` (14, one per target) is
the least that shows every report state and every catch-up state: not started (any signed
report), partly keyed, keyed in RIS, verified and waived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random
from typing import Any

from sqlalchemy import func, select

from . import demo_catchup as catchup
from . import demo_data as data
from . import demo_reports as reports
from .demo_patients import PatientPlan, plan_patient, plan_unidentified
from .demo_staff import ensure_staff, login_lines, only_admin_lines
from .demo_steps import PATHS, DemoContext, advance_to, perform_exam
from .extensions import db
from .incidents.services import declare_incident
from .models import CASE_STATUSES, Case, Site, utcnow
from .routines.demo import add_demo_routines
from .siteconfig import Exam, SiteConfig
from .sites import site_config

# Share of cases per target state (sums to 1). A `report_*` target gets a planned report.
# A `catchup_*` target also gets a planned catch-up (see demo_catchup).
TARGET_SHARES = {
    "referral_received": 0.15,
    "exam_done": 0.12,
    "report_draft": 0.07,  # unsigned; the case stays at exam_done
    "report_preliminary": 0.10,  # also "not started" in the catch-up
    "report_definitive": 0.12,  # also "not started" in the catch-up
    "report_addendum": 0.05,  # definitive with a signed addendum
    "report_urgent_called": 0.05,  # definitive, urgent, the call to the referrer logged
    "report_urgent_uncalled": 0.04,  # definitive, urgent, no call yet: the reminder shows
    "report_fax": 0.06,  # definitive report faxed from an external reader, keyed in
    "cancelled": 0.06,
    catchup.PARTLY: 0.05,  # preliminary report, RIS accession and some steps ticked
    catchup.KEYED: 0.05,  # definitive, every step ticked: keyed_in_ris
    catchup.VERIFIED: 0.05,  # definitive, keyed and verified by a second secretary: closed
    catchup.WAIVED: 0.03,  # definitive, waived with a reason (four eyes: confirmed): closed
}
# The least --cases that shows every target; it also gives two unidentified patients (one
# later identified), a samordningsnummer and a re-prioritised waiting case.
MIN_CASES = len(TARGET_SHARES)


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
    new_priority: str = ""
    priority_reason: str = ""
    report: reports.ReportPlan | None = None
    catchup: catchup.CatchupPlan | None = None
    case_id: int | None = None  # set by the first step


@dataclass(frozen=True)
class DemoResult:
    incident_id: int
    incident_title: str
    counts: dict[str, int]
    targets: dict[str, int]
    staff: list[data.StaffSpec]
    warning: str = ""
    routines: dict[str, int] = field(default_factory=dict)
    # The users this run created, all with `pin`; the others kept the PIN they had.
    created: frozenset[str] = frozenset()
    pin: str = ""
    only_demo_admin: bool = False


# --- referral content -------------------------------------------------------------------------


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
        # Not drawn from rng: the rest of the demo stays as it was for the same seed.
        "side": ("right", "left")[arrived_at.minute % 2] if exam.sided else "",
        "contrast_planned": exam.contrast,
        "clinical_question": indication.question,
        "history": indication.history,
        **data.safety_facts(rng, data.needs(config, exam, patient, today), today),
        # From a generator of their own: drawn from rng, every later case of a seed would change.
        **data.care_facts(Random(f"care {arrived_at.isoformat()} {indication.question}")),
        "arrived_via": rng.choices(["fax", "paper", "phone"], [7, 2, 1])[0],
        "arrived_at": arrived_at,
    }


# --- planning ---------------------------------------------------------------------------------


def target_counts(n: int) -> dict[str, int]:
    """How many cases reach each target (sums to n): one each first, the rest by share."""
    by_share = sorted(TARGET_SHARES, key=lambda t: -TARGET_SHARES[t])
    if n < len(by_share):
        return {t: int(t in by_share[:n]) for t in TARGET_SHARES}
    rest = n - len(by_share)
    exact = {t: share * rest for t, share in TARGET_SHARES.items()}
    counts = {t: 1 + int(x) for t, x in exact.items()}
    by_remainder = sorted(TARGET_SHARES, key=lambda t: int(exact[t]) - exact[t])
    for t in by_remainder[: n - sum(counts.values())]:
        counts[t] += 1
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
    ris_base = catchup.ris_base(rng)
    waiting = [i for i, t in enumerate(targets) if t in ("referral_received", "exam_done")]
    plans = []
    for i, target in enumerate(targets):
        urgent = target in reports.URGENT_TARGETS
        exam = rng.choice((urgent and reports.urgent_exams(config.exams)) or config.exams)
        if i in unidentified:
            patient = plan_unidentified(rng, today, serial + i)
        else:
            patient = plan_patient(rng, today, coordination=i in coordination)
        # Documented exams arrived long enough ago to have been started, done, sent and read.
        examined = perform_exam in PATHS[target]
        arrived_ago = rng.randint(90, 300) if examined else rng.randint(5, 240)
        arrived_at = now - timedelta(minutes=arrived_ago)
        plan = CasePlan(
            target=target,
            patient=patient,
            exam=exam,
            priority=rng.choices(priorities, weights)[0],
            referral=plan_referral(rng, config, exam, patient, arrived_at),
            arrived_ago=arrived_ago,
        )
        if examined:
            plan.exam_values = data.plan_exam(rng, config, exam, arrived_at, serial + i)
            plan.exam_values["side"] = plan.referral["side"]
        if target.startswith("report_") or target in catchup.TARGETS:
            plan.report = reports.plan_report(
                rng, exam, target, plan.referral, plan.exam_values, now
            )
        if target in catchup.TARGETS:
            plan.catchup = catchup.plan_catchup(rng, config, exam, target, ris_base + i, now)
        if target == "cancelled":
            plan.cancel_reason = rng.choice(data.CANCEL_REASONS)
        if i == corrected:
            # The real identity fits what the staff saw: same sex, about the guessed age.
            plan.corrected = plan_patient(
                rng, today, sex=patient.sex, age=(patient.age_approx or 50) + rng.randint(-3, 3)
            )
            plan.identity_reason = rng.choice(data.IDENTITY_REASONS)
        if waiting and i == waiting[0] and len(priorities) > 1:
            # Raised to the most urgent priority, or lowered if it already was.
            raise_it = plan.priority != priorities[0]
            plan.new_priority = priorities[0] if raise_it else priorities[1]
            plan.priority_reason = rng.choice(
                reports.RAISE_REASONS if raise_it else reports.LOWER_REASONS
            )
        plans.append(plan)
    return plans


# --- the command ------------------------------------------------------------------------------


def run_demo(
    *,
    cases: int,
    seed: int = 1,
    scenario: str | None = None,
    now: datetime | None = None,
    pin: str | None = None,
) -> DemoResult:
    """Declare a drill incident and fill it with planned cases (needs an app context).

    pin: for the demo users this run creates; without it, one is drawn (ValueError if weak).
    """
    now = now or utcnow()
    site = db.session.scalar(select(Site).order_by(Site.id))
    if site is None:
        raise RuntimeError("no site: run the app's prepare step first")
    config = site_config(site)
    scenario = scenario or data.drill_scenario(config)
    demo_staff = ensure_staff(site.id, pin)
    staff = demo_staff.users
    plans = build_plans(Random(seed), config, cases, now)
    incident = declare_incident(
        user=staff["admin"][0],
        config=config,
        scenario=scenario,
        is_drill=True,
        notes=f"Övning skapad med demo-data ({cases} ärenden, frö {seed}).",
        # Started before the first referral arrived, so every case falls within the drill.
        started_at=now - timedelta(minutes=max(p.arrived_ago for p in plans) + 10),
    )
    ctx = DemoContext(config=config, incident=incident, staff=staff, now=now)
    for plan in sorted(plans, key=lambda p: -p.arrived_ago):  # in order of arrival
        advance_to(ctx, plan)
    # The other routines rehearse on the same drill: reviewer exchanges, transfers, releases.
    routines = add_demo_routines(config=config, incident=incident, staff=staff, now=now)
    rows = db.session.execute(
        select(Case.status, func.count(Case.id))
        .where(Case.incident_id == incident.id)
        .group_by(Case.status)
    ).all()
    return DemoResult(
        incident_id=incident.id,
        incident_title=incident.title,
        counts={status: int(count) for status, count in rows},
        targets={t: sum(p.target == t for p in plans) for t in TARGET_SHARES},
        staff=list(data.DEMO_STAFF),
        routines=routines,
        created=demo_staff.created,
        pin=demo_staff.pin,
        only_demo_admin=demo_staff.only_demo_admin,
        warning=""
        if cases >= MIN_CASES
        else f"Varning: {cases} ärenden räcker inte till alla tillstånd (utlåtanden och "
        f"efterregistrering); ange minst {MIN_CASES}.",
    )


def format_summary(result: DemoResult) -> str:
    """The text the drill leader reads after the command."""
    lines = [
        f"Övningsdriftstopp {result.incident_id} skapat: {result.incident_title}",
        f"Ärenden: {sum(result.counts.values())}",
        *(f"  {s}: {result.counts[s]}" for s in CASE_STATUSES if s in result.counts),
        "Demotillstånd:",
        *(f"  {t}: {c}" for t, c in result.targets.items() if c),
        "Andra rutiner:",
        *(f"  {k}: {v}" for k, v in result.routines.items()),
        *login_lines(result.staff, result.created, result.pin),
    ]
    if result.only_demo_admin:
        lines.extend(only_admin_lines())
    if result.warning:
        lines.append(result.warning)
    return "\n".join(lines)
