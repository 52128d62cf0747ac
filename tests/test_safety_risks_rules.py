"""The referral's risky answers, warned about before the exam they matter for (safety_risks)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from webapp.cases.safety_risks import RiskFacts, SafetyRisk, safety_risks
from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfig, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
CONFIG = parse_site_config(EXAMPLE)

MR = RiskFacts(modality="MR", exam_codes=("MR-HJ",))
# A contrast exam arrived on 15 January, its kidney value (if any) dated the day before.
ARRIVED = date(2026, 1, 15)
CT_CONTRAST = RiskFacts(
    modality="CT",
    exam_codes=("CT-TAB",),
    arrived_on=ARRIVED,
    kidney_measured_on=date(2026, 1, 14),
)
CT_PLAIN = RiskFacts(modality="CT", exam_codes=("CT-HJ",))
CR_HIP = RiskFacts(modality="CR", exam_codes=("CR-HOFT",), may_be_pregnant=True)


def _kinds(facts: RiskFacts, config: SiteConfig = CONFIG) -> list[str]:
    return [r.kind for r in safety_risks(config, facts)]


def _texts(facts: RiskFacts, config: SiteConfig = CONFIG) -> list[str]:
    return [r.text() for r in safety_risks(config, facts)]


def test_a_pacemaker_before_an_mr_is_a_risk() -> None:
    assert _texts(replace(MR, pacemaker="yes")) == [
        "Pacemaker/ICD – MR bara efter radiologens ställningstagande."
    ]


def test_a_pacemaker_before_a_ct_is_no_risk() -> None:
    assert _kinds(replace(CT_PLAIN, pacemaker="yes")) == []


def test_an_mr_is_known_by_its_catalogue_exam_when_the_modality_says_otherwise() -> None:
    # A CT referral documented as an MR head: the exam's code asks the MR questions.
    assert _kinds(RiskFacts(modality="CT", exam_codes=("CT-HJ", "MR-HJ"), pacemaker="yes")) == [
        "pacemaker"
    ]


def test_an_implant_before_an_mr_names_the_note() -> None:
    facts = replace(MR, implants="yes", implants_note="Höftprotes vä 2019")
    assert _texts(facts) == ["Implantat – kontrollera att det är MR-villkorat: Höftprotes vä 2019."]


def test_an_implant_without_a_note_is_still_a_risk() -> None:
    assert _texts(replace(MR, implants="yes")) == [
        "Implantat – kontrollera att det är MR-villkorat."
    ]


@pytest.mark.parametrize("answer", ["no", "unknown", ""])
def test_no_vet_ej_or_no_answer_about_mr_is_no_risk(answer: str) -> None:
    # Vet ej and a missing answer are told by the unanswered notices, not as a risk.
    assert _kinds(replace(MR, pacemaker=answer, implants=answer)) == []


def test_a_contrast_allergy_before_a_contrast_exam_is_a_risk() -> None:
    assert _kinds(replace(CT_CONTRAST, contrast_allergy="yes")) == ["contrast_allergy"]


def test_a_contrast_allergy_before_an_exam_without_contrast_is_no_risk() -> None:
    assert _kinds(replace(CT_PLAIN, contrast_allergy="yes", egfr=10.0)) == []


@pytest.mark.parametrize(
    "facts",
    [
        replace(CT_PLAIN, contrast_planned=True),
        replace(CT_PLAIN, contrast_given=True),
        RiskFacts(modality="CT", exam_codes=("CT-HJ", "CT-LE")),
    ],
    ids=["planned", "given", "documented-exam"],
)
def test_contrast_planned_given_or_documented_counts(facts: RiskFacts) -> None:
    assert _kinds(replace(facts, contrast_allergy="yes")) == ["contrast_allergy"]


@pytest.mark.parametrize(
    ("egfr", "risky"),
    [(29.6, True), (29.99, True), (30.0, False), (30.4, False), (0.0, True), (None, False)],
)
def test_egfr_is_compared_with_the_limit_as_given(egfr: float | None, risky: bool) -> None:
    # Never rounded: 29.6 is below 30, and 30 itself is not.
    assert _kinds(replace(CT_CONTRAST, egfr=egfr)) == (["kidney"] if risky else [])


def test_the_kidney_warning_names_the_value_and_the_limit() -> None:
    assert _texts(replace(CT_CONTRAST, egfr=22.0)) == [
        "eGFR 22 – under 30: kontrastmedel bara efter radiologens ställningstagande."
    ]
    assert "eGFR 29,6 – under 30" in _texts(replace(CT_CONTRAST, egfr=29.6))[0]


def test_the_site_limit_is_used() -> None:
    strict = parse_site_config(
        EXAMPLE.replace("contrast_egfr_limit = 30", "contrast_egfr_limit = 40")
    )
    assert _kinds(replace(CT_CONTRAST, egfr=35.0), strict) == ["kidney"]
    assert _texts(replace(CT_CONTRAST, egfr=35.0), strict)[0].startswith("eGFR 35 – under 40")


@pytest.mark.parametrize(
    ("egfr", "kinds"),
    [
        (44.9, ["metformin"]),
        (45.0, []),
        (None, []),
        (25.0, ["kidney", "metformin"]),
    ],
)
def test_metformin_with_poor_kidneys_before_contrast(egfr: float | None, kinds: list[str]) -> None:
    assert _kinds(replace(CT_CONTRAST, metformin="yes", egfr=egfr)) == kinds


def test_the_metformin_warning_points_to_the_local_routine() -> None:
    (text,) = _texts(replace(CT_CONTRAST, metformin="yes", egfr=40.0))
    assert text == (
        "Metformin och eGFR 40 (under 45) – följ den lokala rutinen för metformin vid "
        "kontrastmedel."
    )


@pytest.mark.parametrize("answer", ["no", "unknown", ""])
def test_metformin_not_taken_is_no_risk(answer: str) -> None:
    assert _kinds(replace(CT_CONTRAST, metformin=answer, egfr=40.0)) == []


def test_a_pregnancy_before_an_exam_that_asks_it_is_a_risk() -> None:
    assert _texts(replace(CR_HIP, pregnancy="yes")) == [
        "Graviditet – undersökningen bara efter radiologens ställningstagande."
    ]


def test_a_pregnancy_before_a_ct_asking_it_is_a_risk() -> None:
    assert _kinds(replace(CT_PLAIN, pregnancy="yes", may_be_pregnant=True)) == ["pregnancy"]


def test_a_pregnancy_before_any_exam_the_site_asks_it_for_is_a_risk() -> None:
    # The site asks the question only where it matters (an MR with gadolinium, say): a Ja
    # there is warned of without any further flag in the site's configuration.
    text = EXAMPLE.replace(
        'rooms = ["MR 1"]\nmr_safety = true', 'rooms = ["MR 1"]\nmr_safety = true\npregnancy = true'
    )
    config = parse_site_config(text)
    assert _kinds(replace(MR, pregnancy="yes", may_be_pregnant=True), config) == ["pregnancy"]


def test_a_pregnancy_before_an_exam_that_does_not_ask_it_is_no_risk() -> None:
    assert _kinds(replace(MR, pregnancy="yes", may_be_pregnant=True)) == []
    assert _kinds(RiskFacts(modality="US", pregnancy="yes", may_be_pregnant=True)) == []


def test_a_pregnancy_of_a_patient_who_cannot_be_pregnant_is_no_risk() -> None:
    # A patient corrected to a man (or of an age outside it) after the referral.
    assert _kinds(replace(CR_HIP, pregnancy="yes", may_be_pregnant=False)) == []


@pytest.mark.parametrize("answer", ["no", "unknown", ""])
def test_no_pregnancy_or_vet_ej_is_no_risk(answer: str) -> None:
    assert _kinds(replace(CR_HIP, pregnancy=answer)) == []


def test_a_cancelled_case_has_no_risks() -> None:
    facts = replace(MR, pacemaker="yes", implants="yes", is_cancelled=True)
    assert _kinds(facts) == []


def test_risks_come_in_a_fixed_order_with_their_kinds() -> None:
    facts = RiskFacts(
        modality="MR",
        exam_codes=("MR-HJ", "CT-TAB"),
        pacemaker="yes",
        implants="yes",
        contrast_allergy="yes",
        egfr=20.0,
        metformin="yes",
    )
    risks = safety_risks(CONFIG, facts)
    assert all(isinstance(r, SafetyRisk) for r in risks)
    assert [r.kind for r in risks] == [
        "pacemaker",
        "implants",
        "contrast_allergy",
        "kidney",
        "metformin",
        # The value has no sample date.
        "kidney_undated",
    ]


def test_the_warnings_are_translated_with_their_values() -> None:
    from webapp.i18n import _english

    (risk,) = safety_risks(CONFIG, replace(CT_CONTRAST, egfr=22.0))
    assert (
        risk.text(_english) == "eGFR 22 – below 30: contrast only after the radiologist's decision."
    )


DATED = CT_CONTRAST
ONLY_CREATININE = (
    "Endast kreatinin angivet (88 µmol/l) – eGFR saknas. Bedöm njurfunktionen före kontrast."
)


def test_a_creatinine_without_an_egfr_before_contrast_is_warned_about() -> None:
    # The limits are eGFR; no eGFR is worked out here, the formula is the department's.
    assert _texts(replace(DATED, creatinine=88.0)) == [ONLY_CREATININE]
    assert _kinds(replace(DATED, creatinine=88.0)) == ["creatinine_only"]


def test_a_creatinine_without_an_egfr_names_metformin_when_taken() -> None:
    (text,) = _texts(replace(DATED, creatinine=130.5, metformin="yes"))
    assert text == (
        "Endast kreatinin angivet (130,5 µmol/l) – eGFR saknas, och patienten tar metformin. "
        "Bedöm njurfunktionen före kontrast och följ den lokala rutinen för metformin."
    )


@pytest.mark.parametrize(
    "facts",
    [
        replace(DATED, creatinine=88.0, egfr=60.0),
        replace(CT_PLAIN, creatinine=88.0, arrived_on=ARRIVED),
        replace(DATED, creatinine=88.0, is_cancelled=True),
        replace(DATED, kidney_unknown=True, kidney_measured_on=None),
        replace(DATED, kidney_measured_on=None),
    ],
    ids=["with-egfr", "no-contrast", "cancelled", "vet-ej", "no-value"],
)
def test_no_creatinine_or_date_warning_where_it_does_not_apply(facts: RiskFacts) -> None:
    assert _kinds(facts) == []


@pytest.mark.parametrize(("days", "old"), [(0, False), (90, False), (91, True), (400, True)])
def test_a_kidney_value_older_than_the_site_allows_is_warned_about(days: int, old: bool) -> None:
    facts = replace(DATED, egfr=60.0, kidney_measured_on=ARRIVED - timedelta(days=days))
    assert _kinds(facts) == (["kidney_age"] if old else [])


def test_the_old_value_warning_names_its_date_and_age() -> None:
    facts = replace(DATED, creatinine=88.0, kidney_measured_on=date(2025, 10, 1))
    assert _texts(facts) == [
        ONLY_CREATININE,
        "Njurvärdet är från 2025-10-01 (106 dagar gammalt) – ta nytt före kontrast?",
    ]


def test_the_site_sets_the_age_of_a_kidney_value_and_0_turns_it_off() -> None:
    facts = replace(DATED, egfr=60.0, kidney_measured_on=ARRIVED - timedelta(days=31))
    strict = parse_site_config(EXAMPLE.replace(AGE_SETTING, "kidney_value_max_age_days = 30"))
    assert _kinds(facts, strict) == ["kidney_age"]
    off = parse_site_config(EXAMPLE.replace(AGE_SETTING, "kidney_value_max_age_days = 0"))
    assert _kinds(replace(facts, kidney_measured_on=date(2020, 1, 1)), off) == []
    assert _kinds(replace(facts, kidney_measured_on=None), off) == []


AGE_SETTING = "kidney_value_max_age_days = 90"


def test_a_kidney_value_without_its_date_before_contrast_is_warned_about() -> None:
    # The referral form asks for the date only when contrast is planned: a plain CT head
    # documented with contrast may carry a value of unknown age.
    assert _texts(replace(DATED, egfr=60.0, kidney_measured_on=None)) == [
        "Njurvärdets provtagningsdatum saknas – bedöm om värdet är aktuellt före kontrast."
    ]
    assert _kinds(replace(CT_PLAIN, egfr=60.0)) == []


def test_the_new_kidney_warnings_come_after_the_old_and_in_english() -> None:
    from webapp.i18n import _english

    facts = replace(DATED, creatinine=88.0, metformin="yes", kidney_measured_on=date(2025, 1, 1))
    risks = safety_risks(CONFIG, facts)
    assert [r.kind for r in risks] == ["creatinine_only", "kidney_age"]
    assert [r.text(_english) for r in risks] == [
        "Only creatinine given (88 µmol/l) – no eGFR, and the patient takes metformin. Assess "
        "the renal function before contrast and follow the local routine for metformin.",
        "The renal value is from 2025-01-01 (379 days old) – take a new one before contrast?",
    ]
    (undated,) = safety_risks(CONFIG, replace(facts, egfr=60.0, kidney_measured_on=None))
    assert undated.text(_english) == (
        "The renal value's sample date is missing – judge whether it is current before contrast."
    )
