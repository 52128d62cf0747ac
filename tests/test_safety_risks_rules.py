"""The referral's risky answers, warned about before the exam they matter for (safety_risks)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from webapp.cases.safety_risks import RiskFacts, SafetyRisk, safety_risks
from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfig, parse_site_config

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
CONFIG = parse_site_config(EXAMPLE)

MR = RiskFacts(modality="MR", exam_codes=("MR-HJ",))
CT_CONTRAST = RiskFacts(modality="CT", exam_codes=("CT-TAB",))
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
    ]


def test_the_warnings_are_translated_with_their_values() -> None:
    from webapp.i18n import _english

    (risk,) = safety_risks(CONFIG, replace(CT_CONTRAST, egfr=22.0))
    assert (
        risk.text(_english) == "eGFR 22 – below 30: contrast only after the radiologist's decision."
    )
