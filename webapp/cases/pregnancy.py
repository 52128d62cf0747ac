"""The pregnancy question of a case whose patient was identified after the referral.

A referral for an unidentified man, or one of unknown age, does not ask about pregnancy. Once
the identity is corrected to a woman of childbearing age the question applies, but the referral
was saved without it: every screen of the case says so until the referral has the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from ..siteconfig import SiteConfig
from .forms import may_be_pregnant


def exam_asks_pregnancy(config: SiteConfig, modality: str, exam_codes: Iterable[str]) -> bool:
    """Whether the modality, or one of the catalogue's exams named, asks about pregnancy."""
    found = config.modality(modality or "")
    if found is not None and found.pregnancy:
        return True
    return any(
        exam is not None and exam.pregnancy
        for exam in (config.exam(code) for code in exam_codes if code)
    )


def pregnancy_unanswered(
    config: SiteConfig,
    *,
    modality: str,
    exam_codes: Iterable[str],
    answer: str,
    is_reserve: bool,
    sex: str,
    birth_date: date | None,
    approx_age: int | None,
) -> bool:
    """An exam that asks about pregnancy, of a patient who may be pregnant, with no answer."""
    if answer:
        return False
    return exam_asks_pregnancy(config, modality, exam_codes) and may_be_pregnant(
        config.pregnancy_ages,
        is_reserve=is_reserve,
        sex=sex or "",
        birth_date=birth_date,
        approx_age=approx_age,
    )


def case_pregnancy_unanswered(case: Any, config: SiteConfig) -> bool:
    """Whether a live case's referral lacks the pregnancy answer its patient and exam need."""
    ref = case.referral
    if ref is None or case.status == "cancelled":
        return False
    return pregnancy_unanswered(
        config,
        modality=case.modality,
        exam_codes=[ref.exam_code, case.exam.exam_code if case.exam is not None else ""],
        answer=ref.pregnancy,
        is_reserve=case.patient_id_kind == "reserve",
        sex=case.patient_sex,
        birth_date=case.patient_birth_date,
        approx_age=case.patient_age_approx,
    )
