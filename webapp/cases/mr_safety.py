"""MR safety: the facts an MR exam needs (pacemaker, implants), asked wherever MR is chosen.

A referral for CT may end as an MR exam (the radiographer changes the modality, or the site
marks an exam as MR afterwards); its MR questions were then never asked. The exam form asks
them before an MR exam is documented, and every screen says when they are still unanswered.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..siteconfig import SiteConfig

MR_FIELDS = ("pacemaker", "implants", "implants_note")
MR_ANSWER_MISSING = "Svara Ja, Nej eller Vet ej – MR kräver uppgiften."


def needs_mr_safety(config: SiteConfig, modality: str, exam_codes: Iterable[str]) -> bool:
    """Whether the modality, or one of the catalogue's exams named, asks about MR safety."""
    found = config.modality(modality or "")
    if found is not None and found.mr_safety:
        return True
    for code in exam_codes:
        exam = config.exam(code or "") if code else None
        if exam is not None and exam.mr_safety:
            return True
    return False


def mr_safety_unanswered(
    config: SiteConfig,
    *,
    modality: str,
    exam_codes: Iterable[str],
    pacemaker: str,
    implants: str,
) -> bool:
    """An MR exam whose referral has no answer (Vet ej counts) about pacemaker or implants."""
    if pacemaker and implants:
        return False
    return needs_mr_safety(config, modality, exam_codes)


def case_mr_unanswered(case: Any, config: SiteConfig) -> bool:
    """Whether a live case is an MR exam with MR safety facts missing from its referral."""
    ref = case.referral
    if ref is None or case.status == "cancelled":
        return False
    codes = [ref.exam_code, case.exam.exam_code if case.exam is not None else ""]
    return mr_safety_unanswered(
        config,
        modality=case.modality,
        exam_codes=codes,
        pacemaker=ref.pacemaker,
        implants=ref.implants,
    )
