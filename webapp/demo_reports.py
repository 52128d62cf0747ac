"""The demo drill's reports: fictional report texts, their planning, and the reporting steps.

`demo_steps.PATHS` strings the steps below after the exam; each writes through the reporting
services (signatures, versions and audit events included), as the report forms do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from typing import TYPE_CHECKING, Any

from .models import utcnow
from .reporting.addenda import add_addendum
from .reporting.case_services import change_priority, log_urgent_call, write_protocol
from .reporting.dispatch import log_report_dispatch
from .reporting.faxed import enter_faxed_report
from .reporting.library import template_for_exam
from .reporting.services import save_report
from .siteconfig import Exam

if TYPE_CHECKING:
    from .demo import CasePlan
    from .demo_steps import DemoContext

DEFAULT_HEADINGS = ("Fynd", "Bedömning")
# Targets whose report carries an urgent finding (the referrer must be phoned).
URGENT_TARGETS = ("report_urgent_called", "report_urgent_uncalled")


@dataclass(frozen=True)
class Finding:
    """Report text by heading: always "Fynd" and "Bedömning"; CT body also "Thorax", "Buk"."""

    sections: dict[str, str]


def _f(findings: str, conclusion: str) -> Finding:
    return Finding({"Fynd": findings, "Bedömning": conclusion})


def _tb(thorax: str, abdomen: str, conclusion: str) -> Finding:
    """A finding for the thorax–abdomen template, which has no plain "Fynd" section."""
    return Finding(
        {"Thorax": thorax, "Buk": abdomen, "Fynd": f"{thorax} {abdomen}", "Bedömning": conclusion}
    )


TECHNIQUE = {
    "CR-THX": "Frontal- och sidobild av thorax.",
    "CR-HOFT": "Bäcken frontalt samt vänster höft frontalt och lateralt.",
    "CR-HAND": "Handled och hand i två plan.",
    "CT-HJ": "DT hjärna utan intravenös kontrast.",
    "CT-HJA": "DT hjärna utan kontrast samt DT-angiografi av hals- och intrakraniella kärl.",
    "CT-TAB": "DT thorax och buk med intravenös kontrast i portovenös fas.",
    "CT-LE": "DT lungartärer med intravenös kontrast.",
    "MR-HJ": "MR hjärna: T1, T2, FLAIR, DWI, SWI samt venografi.",
    "MR-RYGG": "MR ländrygg: sagittala T1 och T2, axiala T2.",
    "US-BUK": "Ultraljud övre buk och njurar.",
}
NORMAL: dict[str, Finding] = {
    "CR-THX": _f(
        "Normal hjärtstorlek. Inga infiltrat. Inga pleuravätskor. Ingen pneumothorax.",
        "Ingen akut hjärt-lungpatologi.",
    ),
    "CR-HOFT": _f(
        "Inga frakturtecken i bäcken eller höfter. Bevarade ledspringor.", "Ingen fraktur."
    ),
    "CR-HAND": _f(
        "Inga frakturtecken. Normala ledförhållanden. Ingen främmande kropp.", "Ingen fraktur."
    ),
    "CT-HJ": _f(
        "Ingen intrakraniell blödning. Inga tecken på akut infarkt. Normalvida ventriklar. "
        "Ingen överledning av medellinjen. Intakt kalvarium.",
        "Ingen akut intrakraniell patologi.",
    ),
    "CT-HJA": _f(
        "Ingen blödning. Bevarad grå-vit gränsdragning. Öppetstående hals- och intrakraniella "
        "artärer utan ocklusion eller signifikant stenos.",
        "Ingen blödning och ingen storkärlsocklusion.",
    ),
    "CT-TAB": _tb(
        "Inga infiltrat. Ingen pleuravätska.",
        "Ingen fri gas. Ingen fri vätska. Parenkymatösa organ utan anmärkning. Normalvid tarm.",
        "Ingen akut patologi i thorax eller buk.",
    ),
    "CT-LE": _tb(
        "Väl kontrastfyllda lungartärer utan fyllnadsdefekter. Inga infiltrat.",
        "Övre buken utan anmärkning i undersökt del.",
        "Ingen lungemboli.",
    ),
    "MR-HJ": _f(
        "Ingen diffusionsinskränkning. Ingen expansivitet. Normal flödessignal i sinus.",
        "Normal MR hjärna.",
    ),
    "MR-RYGG": _f(
        "Lätta degenerativa förändringar L4–S1 utan rotkompression. Ingen kompression av "
        "cauda equina.",
        "Inget som förklarar cauda equina-symtom.",
    ),
    "US-BUK": _f(
        "Tunnväggig gallblåsa utan konkrement. Ingen hydronefros. Ingen fri vätska.",
        "Inga tecken på kolecystit eller avflödeshinder.",
    ),
}
POSITIVE: dict[str, Finding] = {
    "CR-THX": _f(
        "Konsolidering i höger underlob med luftbronkogram. Liten pleuravätska höger.",
        "Pneumoni i höger underlob.",
    ),
    "CR-HOFT": _f(
        "Dislocerad lateral collumfraktur i vänster femur, Garden IV.", "Collumfraktur vänster."
    ),
    "CR-HAND": _f(
        "Distal radiusfraktur med dorsal vinkling ca 20°, utan ledengagemang.",
        "Extraartikulär distal radiusfraktur.",
    ),
    "CT-HJ": _f(
        "Äldre lakunär infarkt i vänster basala ganglier. Måttliga småkärlsförändringar. "
        "Ingen blödning.",
        "Ingen akut patologi. Äldre lakunär infarkt.",
    ),
    "CT-TAB": _tb(
        "Inga infiltrat.",
        "Förtjockad appendix 11 mm med omgivande fettinfiltration. Ingen fri gas.",
        "Akut appendicit utan tecken på perforation.",
    ),
    "US-BUK": _f(
        "Gallblåsevägg 6 mm med konkrement i halsen. Positivt sonografiskt Murphys tecken.",
        "Akut kolecystit.",
    ),
}
URGENT: dict[str, Finding] = {
    "CT-HJ": _f(
        "Subduralhematom höger, 8 mm, frontotemporoparietalt. Överledning av medellinjen 4 mm "
        "åt vänster. Ingen skallfraktur.",
        "Akut subduralhematom höger, 8 mm, med masseffekt.",
    ),
    "CT-HJA": _f(
        "Ocklusion av vänster a. cerebri media i M1-segmentet. Ingen blödning. ASPECTS 8.",
        "Proximal M1-ocklusion vänster; trombektomi bör övervägas omgående.",
    ),
    "CT-LE": _tb(
        "Lungemboli i höger underlobsartär med utbredning till segmentgrenar. RV/LV-kvot 0,9.",
        "Övre buken utan anmärkning i undersökt del.",
        "Lungemboli i höger underlobsartär, utan tecken på högerkammarbelastning.",
    ),
    "CT-TAB": _tb(
        "Inga infiltrat.",
        "Fri gas under diafragma och kring colon sigmoideum. Fri vätska i lilla bäckenet.",
        "Perforerad sigmoideumdivertikulit med fri gas.",
    ),
    "CR-THX": _f(
        "Pneumothorax höger med lungkant 3 cm från bröstkorgsväggen apikalt. Tubspets 4 cm "
        "ovan carina.",
        "Pneumothorax höger.",
    ),
    "MR-RYGG": _f(
        "Stort centralt diskbråck L4–L5 som komprimerar cauda equina.",
        "Cauda equina-kompression L4–L5.",
    ),
    "MR-HJ": _f(
        "Tromb i sinus sagittalis superior och höger sinus transversus. Ingen venös infarkt.",
        "Sinustrombos.",
    ),
}
GENERIC = _f("Inga säkra patologiska fynd.", "Ingen akut patologi.")
GENERIC_URGENT = _f("Akut fynd som kräver omgående åtgärd.", "Akut fynd; kontakta remittent.")

ADDENDA = (
    "Tillägg efter jämförelse med undersökning från annat sjukhus (inkommen på CD): "
    "fynden är oförändrade sedan dess.",
    "Tillägg: vid eftergranskning ses även en liten odislocerad revbensfraktur höger, costa 7.",
    "Tillägg efter samtal med remittent: rekommenderar uppföljande undersökning om 6 veckor.",
)
FAX_AUTHORS = (  # fictional external readers (teleradiology during the downtime)
    "Extern granskare, Dr Henrik Lövqvist",
    "Extern granskare, Dr Ebba Näsström",
)
CALL_NOTES = (
    "Remittenten informerad om fyndet och tar ställning till åtgärd.",
    "Fyndet återgivet; remittenten kontaktar jourhavande kirurg.",
)
RAISE_REASONS = ("Remittenten ringde: patienten har försämrats.",)
LOWER_REASONS = ("Efter samråd med remittent: kan vänta till efter driftstoppet.",)
PROTOCOL = "Ring mig när patienten är på plats, innan undersökningen startar."


@dataclass(frozen=True)
class ReportPlan:
    """What the case's report will say, and the extras its target needs."""

    finding: Finding
    question: str
    technique: str
    urgent: bool
    addendum: str
    fax_author: str
    fax_received_at: datetime
    call_note: str


def urgent_exams(exams: Sequence[Exam]) -> list[Exam]:
    """The catalogue's exams the demo has an urgent finding for."""
    return [e for e in exams if e.code in URGENT]


def plan_report(
    rng: Random,
    exam: Exam,
    target: str,
    referral: dict[str, Any],
    exam_values: dict[str, Any],
    now: datetime,
) -> ReportPlan:
    """The report for a case whose target is a report state."""
    urgent = target in URGENT_TARGETS
    if urgent:
        finding = URGENT.get(exam.code, GENERIC_URGENT)
    elif exam.code in POSITIVE and rng.random() < 0.3:
        finding = POSITIVE[exam.code]
    else:
        finding = NORMAL.get(exam.code, GENERIC)
    received = exam_values["ended_at"] + timedelta(minutes=rng.randint(10, 30))
    return ReportPlan(
        finding=finding,
        question=referral["clinical_question"],
        technique=TECHNIQUE.get(exam.code, exam.name),
        urgent=urgent,
        addendum=rng.choice(ADDENDA),
        fax_author=rng.choice(FAX_AUTHORS),
        fax_received_at=min(received, now - timedelta(minutes=2)),
        call_note=rng.choice(CALL_NOTES),
    )


def sections_for(
    headings: Sequence[str], report: ReportPlan, *, draft: bool = False
) -> list[dict[str, str]]:
    """The report's sections under the template's headings; a draft lacks its conclusion."""
    texts = {"Frågeställning": report.question, "Teknik": report.technique}
    texts |= report.finding.sections
    if not any(h in report.finding.sections for h in headings):
        headings = DEFAULT_HEADINGS  # an edited template the demo has no text for
    return [
        {"heading": h, "text": "" if draft and h == "Bedömning" else texts.get(h, "")}
        for h in headings
    ]


# --- steps ------------------------------------------------------------------------------------


def _save(ctx: DemoContext, plan: CasePlan, sign: str, radiologist: int) -> None:
    assert plan.case_id is not None and plan.report is not None
    template = template_for_exam(ctx.incident.site_id, plan.exam.code, plan.exam.modality)
    headings = template.sections if template else DEFAULT_HEADINGS
    save_report(
        case_id=plan.case_id,
        user=ctx.actor("radiologist", radiologist),
        sections=sections_for(headings, plan.report, draft=not sign),
        template_id=template.id if template else None,
        is_urgent=plan.report.urgent,
        read_on="pacs",
        sign=sign,
    )


def write_draft(ctx: DemoContext, plan: CasePlan) -> None:
    """Start the report without signing it (the case stays at exam_done)."""
    _save(ctx, plan, "", plan.arrived_ago)


def sign_preliminary(ctx: DemoContext, plan: CasePlan) -> None:
    """Write the report and sign it preliminary."""
    _save(ctx, plan, "preliminary", plan.arrived_ago)


def sign_definitive(ctx: DemoContext, plan: CasePlan) -> None:
    """A second radiologist signs the report definitive."""
    _save(ctx, plan, "definitive", plan.arrived_ago + 1)


def write_addendum(ctx: DemoContext, plan: CasePlan) -> None:
    """Add a signed addendum to the definitive report."""
    assert plan.case_id is not None and plan.report is not None
    user = ctx.actor("radiologist", plan.arrived_ago)
    add_addendum(case_id=plan.case_id, user=user, text=plan.report.addendum)


def call_referrer(ctx: DemoContext, plan: CasePlan) -> None:
    """Log the phone call about the urgent finding, after the definitive signature."""
    assert plan.case_id is not None and plan.report is not None
    log_urgent_call(
        case_id=plan.case_id,
        user=ctx.actor("radiologist", plan.arrived_ago + 1),
        called_person=plan.referral["referrer_clinician"],
        phone_number=plan.referral["referrer_phone"],
        called_at=utcnow(),  # the signature was stamped a moment ago
        note=plan.report.call_note,
    )


def fax_to_referrer(ctx: DemoContext, plan: CasePlan) -> None:
    """A secretary faxes the signed report to the referral's reply fax and logs it."""
    assert plan.case_id is not None
    log_report_dispatch(
        case_id=plan.case_id,
        user=ctx.actor("secretary", plan.arrived_ago),
        fax_number=plan.referral["reply_fax"],
        faxed_at=utcnow(),  # the signature was stamped a moment ago
    )


def key_in_fax(ctx: DemoContext, plan: CasePlan) -> None:
    """A secretary enters the external reader's faxed definitive report."""
    assert plan.case_id is not None and plan.report is not None
    enter_faxed_report(
        case_id=plan.case_id,
        user=ctx.actor("secretary", plan.arrived_ago),
        author_name=plan.report.fax_author,
        received_at=plan.report.fax_received_at,
        sections=sections_for(DEFAULT_HEADINGS, plan.report),
        state="definitive",
        is_urgent=False,
    )


def reprioritise(ctx: DemoContext, plan: CasePlan) -> None:
    """A radiologist changes the referral's priority, with the reason, and writes the
    radiographer an instruction, as on the paper referral."""
    assert plan.case_id is not None
    radiologist = ctx.actor("radiologist")
    change_priority(
        case_id=plan.case_id,
        user=radiologist,
        priority=plan.new_priority,
        reason=plan.priority_reason,
    )
    write_protocol(case_id=plan.case_id, user=radiologist, text=PROTOCOL)
