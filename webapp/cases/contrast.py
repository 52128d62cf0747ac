"""Contrast safety: the facts a contrast exam needs (allergy, kidney function, metformin).

A referral without contrast (a CT head, say) may end as an exam with contrast: the radiographer
records a contrast agent, or documents a catalogue exam with contrast. Its contrast questions
were then never asked, and a patient on metformin with poor kidneys, or with an allergy, goes
unnoticed: every screen of the case says so until the referral has the answers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..siteconfig import SiteConfig


def contrast_answers_missing(ref: Any) -> bool:
    """Whether the referral lacks an answer (Vet ej counts) a contrast exam needs."""
    kidney = ref.egfr is not None or ref.creatinine is not None or bool(ref.kidney_unknown)
    return not (ref.contrast_allergy and ref.metformin and kidney)


def contrast_applies(
    config: SiteConfig, *, planned: bool, given: bool, exam_codes: Iterable[str]
) -> bool:
    """Contrast planned on the referral, given on the exam, or one of the catalogue's contrast
    exams named by either."""
    if planned or given:
        return True
    return any(
        exam is not None and exam.contrast for exam in (config.exam(c) for c in exam_codes if c)
    )


def case_contrast_unanswered(case: Any, config: SiteConfig) -> bool:
    """Whether a live case's exam has contrast, given or planned, and its referral no answers."""
    ref = case.referral
    if ref is None or case.status == "cancelled" or not contrast_answers_missing(ref):
        return False
    ex = case.exam
    return contrast_applies(
        config,
        planned=ref.contrast_planned,
        given=ex is not None and bool(ex.contrast_agent),
        exam_codes=[ref.exam_code, ex.exam_code if ex is not None else ""],
    )
