"""Risk warnings: a referral's safety answer that matters for the exam it is about.

The unanswered notices (mr_safety, contrast, pregnancy) say when an answer is missing. An
answer given can be the risk itself: a pacemaker ticked on paper before an MR is seen by the
radiographer at a glance, so on screen and on the printed sheets it must stand out as much.
A kidney value can be one by what it lacks before contrast: a creatinine without eGFR (the
limits are eGFR), or a value older than the site allows at the referral's arrival, or undated.
Vet ej is an answer, told by no warning here. The board works the same rules out in its query
(board/safety_clauses.py); a test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..numbers import decimal_text, lab_text
from ..refusal import Message, Translate, swedish
from ..siteconfig import SiteConfig
from ..siteconfig_safety import SafetyLimits
from .contrast import contrast_applies
from .fields import site_date
from .forms import may_be_pregnant
from .mr_safety import needs_mr_safety
from .pregnancy import exam_asks_pregnancy

YES = "yes"


@dataclass(frozen=True)
class RiskFacts:
    """What the rules read of a case: its exam and its referral's answers, as stored."""

    modality: str
    # The referral's catalogue exam and the documented one's.
    exam_codes: tuple[str, ...] = ()
    contrast_planned: bool = False
    # A contrast agent recorded on the exam.
    contrast_given: bool = False
    pacemaker: str = ""
    implants: str = ""
    implants_note: str = ""
    contrast_allergy: str = ""
    egfr: float | None = None
    creatinine: float | None = None
    # The lab's bound on each (">90", "<15"); "" exact.
    egfr_bound: str = ""
    creatinine_bound: str = ""
    kidney_measured_on: date | None = None
    # Njurfunktion okänd: told by the unanswered notice, never a risk.
    kidney_unknown: bool = False
    # The referral's arrival, the site's date: a kidney value's age is counted to it.
    arrived_on: date | None = None
    metformin: str = ""
    pregnancy: str = ""
    may_be_pregnant: bool = False
    is_cancelled: bool = False


@dataclass(frozen=True)
class SafetyRisk:
    # pacemaker, implants, contrast_allergy, kidney, metformin, creatinine_only, kidney_age,
    # kidney_undated or pregnancy.
    kind: str
    message: Message

    def text(self, translate: Translate = swedish) -> str:
        """The warning in the language of `translate` (Swedish on the printed sheets)."""
        return self.message.text(translate)


def _mr_risks(facts: RiskFacts) -> list[SafetyRisk]:
    found = []
    if facts.pacemaker == YES:
        found.append(
            SafetyRisk(
                "pacemaker",
                Message("Pacemaker/ICD – MR bara efter radiologens ställningstagande."),
            )
        )
    if facts.implants == YES:
        note = facts.implants_note.strip()
        message = (
            Message("Implantat – kontrollera att det är MR-villkorat: %(note)s.", {"note": note})
            if note
            else Message("Implantat – kontrollera att det är MR-villkorat.")
        )
        found.append(SafetyRisk("implants", message))
    return found


def _contrast_risks(config: SiteConfig, facts: RiskFacts) -> list[SafetyRisk]:
    limits = config.safety_limits
    found = []
    if facts.contrast_allergy == YES:
        found.append(
            SafetyRisk(
                "contrast_allergy",
                Message(
                    "Kontrastmedelsallergi – kontrastmedel bara efter radiologens "
                    "ställningstagande."
                ),
            )
        )
    egfr, bound = facts.egfr, facts.egfr_bound
    shown = lab_text(egfr, bound)
    if may_be_below(egfr, bound, limits.contrast_egfr):
        values = {"egfr": shown, "limit": decimal_text(limits.contrast_egfr)}
        message = (
            Message(
                "eGFR %(egfr)s – under %(limit)s: kontrastmedel bara efter radiologens "
                "ställningstagande.",
                values,
            )
            if is_below(egfr, bound, limits.contrast_egfr)
            else Message(
                "eGFR %(egfr)s – kan ligga under %(limit)s: ta reda på det exakta värdet, eller "
                "ge kontrastmedel bara efter radiologens ställningstagande.",
                values,
            )
        )
        found.append(SafetyRisk("kidney", message))
    if facts.metformin == YES and may_be_below(egfr, bound, limits.metformin_egfr):
        values = {"egfr": shown, "limit": decimal_text(limits.metformin_egfr)}
        message = (
            Message(
                "Metformin och eGFR %(egfr)s (under %(limit)s) – följ den lokala rutinen "
                "för metformin vid kontrastmedel.",
                values,
            )
            if is_below(egfr, bound, limits.metformin_egfr)
            else Message(
                "Metformin och eGFR %(egfr)s (kan ligga under %(limit)s) – ta reda på det "
                "exakta värdet, och följ den lokala rutinen för metformin vid kontrastmedel.",
                values,
            )
        )
        found.append(SafetyRisk("metformin", message))
    if egfr is None and facts.creatinine is not None and not facts.kidney_unknown:
        creatinine = lab_text(facts.creatinine, facts.creatinine_bound)
        found.append(_creatinine_only(creatinine, facts.metformin == YES))
    dated = kidney_date_risk(limits, facts)
    if dated is not None:
        found.append(dated)
    return found


def may_be_below(egfr: float | None, bound: str, limit: float) -> bool:
    """Whether an eGFR as the lab gave it may be under the limit: warned about if so."""
    if egfr is None:
        return False
    # "<60" is some value under 60, so under a limit of 30 it may be: the safe side warns
    # (saying may, see is_below). ">20" may be under 30 too; ">30" and ">90" are not. An exact
    # value is compared as stored, never rounded: 29.6 is below 30, 30 itself is not.
    return bound == "<" or egfr < limit


def is_below(egfr: float | None, bound: str, limit: float) -> bool:
    """Whether an eGFR as the lab gave it is certainly under the limit ("<15" under 30)."""
    if egfr is None or bound == ">":
        return False
    # "<30" is some value under 30: under a limit of 30 as well.
    return egfr <= limit if bound == "<" else egfr < limit


def _creatinine_only(creatinine: str, metformin: bool) -> SafetyRisk:
    # The limits are eGFR: no eGFR is worked out here, the formula is the department's choice.
    values = {"creatinine": creatinine}
    if metformin:
        return SafetyRisk(
            "creatinine_only",
            Message(
                "Endast kreatinin angivet (%(creatinine)s µmol/l) – eGFR saknas, och patienten "
                "tar metformin. Bedöm njurfunktionen före kontrast och följ den lokala rutinen "
                "för metformin.",
                values,
            ),
        )
    return SafetyRisk(
        "creatinine_only",
        Message(
            "Endast kreatinin angivet (%(creatinine)s µmol/l) – eGFR saknas. Bedöm "
            "njurfunktionen före kontrast.",
            values,
        ),
    )


def kidney_date_risk(limits: SafetyLimits, facts: RiskFacts) -> SafetyRisk | None:
    """A kidney value too old at the referral's arrival, or of unknown date, before contrast
    (whether contrast applies and the case is live is the caller's to know)."""
    has_value = facts.egfr is not None or facts.creatinine is not None
    if not limits.kidney_max_age_days or not has_value or facts.kidney_unknown:
        return None
    measured = facts.kidney_measured_on
    if measured is None:
        return SafetyRisk(
            "kidney_undated",
            Message(
                "Njurvärdets provtagningsdatum saknas – bedöm om värdet är aktuellt före kontrast."
            ),
        )
    if facts.arrived_on is None:
        return None
    days = (facts.arrived_on - measured).days
    if days <= limits.kidney_max_age_days:
        return None
    return SafetyRisk(
        "kidney_age",
        Message(
            "Njurvärdet är från %(date)s (%(days)s dagar gammalt) – ta nytt före kontrast?",
            {"date": measured.isoformat(), "days": days},
        ),
    )


def safety_risks(config: SiteConfig, facts: RiskFacts) -> list[SafetyRisk]:
    """The referral's risky answers that matter for the case's exam, in a fixed order."""
    if facts.is_cancelled:
        return []
    found: list[SafetyRisk] = []
    codes = facts.exam_codes
    if needs_mr_safety(config, facts.modality, codes):
        found += _mr_risks(facts)
    if contrast_applies(
        config, planned=facts.contrast_planned, given=facts.contrast_given, exam_codes=codes
    ):
        found += _contrast_risks(config, facts)
    if (
        facts.pregnancy == YES
        and facts.may_be_pregnant
        # The site asks the question only before the exams where it matters, so a Ja there
        # always does.
        and exam_asks_pregnancy(config, facts.modality, codes)
    ):
        found.append(
            SafetyRisk(
                "pregnancy",
                Message("Graviditet – undersökningen bara efter radiologens ställningstagande."),
            )
        )
    return found


# The referral's fields case_risk_facts reads: a change of any may change the printed warnings,
# so the exam sheet's version counts it (printing/versions.py); a test keeps the two in step.
RISK_REFERRAL_FIELDS = frozenset(
    {
        "exam_code",
        "contrast_planned",
        "pacemaker",
        "implants",
        "implants_note",
        "contrast_allergy",
        "egfr",
        "creatinine",
        "egfr_bound",
        "creatinine_bound",
        "kidney_measured_on",
        "kidney_unknown",
        "arrived_at",
        "metformin",
        "pregnancy",
    }
)


def case_risk_facts(case: Any, config: SiteConfig) -> RiskFacts | None:
    """The facts of a case with a referral; None without one."""
    ref = case.referral
    if ref is None:
        return None
    ex = case.exam
    return RiskFacts(
        modality=case.modality or "",
        exam_codes=(ref.exam_code or "", ex.exam_code if ex is not None else ""),
        contrast_planned=bool(ref.contrast_planned),
        contrast_given=ex is not None and bool(ex.contrast_agent),
        pacemaker=ref.pacemaker,
        implants=ref.implants,
        implants_note=ref.implants_note or "",
        contrast_allergy=ref.contrast_allergy,
        egfr=ref.egfr,
        creatinine=ref.creatinine,
        egfr_bound=ref.egfr_bound or "",
        creatinine_bound=ref.creatinine_bound or "",
        kidney_measured_on=ref.kidney_measured_on,
        kidney_unknown=bool(ref.kidney_unknown),
        arrived_on=site_date(ref.arrived_at) if ref.arrived_at is not None else None,
        metformin=ref.metformin,
        pregnancy=ref.pregnancy,
        may_be_pregnant=may_be_pregnant(
            config.pregnancy_ages,
            is_reserve=case.patient_id_kind == "reserve",
            sex=case.patient_sex or "",
            birth_date=case.patient_birth_date,
            approx_age=case.patient_age_approx,
        ),
        is_cancelled=case.status == "cancelled",
    )


def case_safety_risks(case: Any, config: SiteConfig) -> list[SafetyRisk]:
    """The risk warnings of a case: none for a cancelled one or one without a referral."""
    facts = case_risk_facts(case, config)
    return [] if facts is None else safety_risks(config, facts)
