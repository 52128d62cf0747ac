"""The board's safety flags as SQL: the case page's rules (cases/mr_safety.py, contrast.py,
pregnancy.py, safety_risks.py) worked out in the board's one query.

SQLite sorts every row of the incident with all its columns before the limit, so the answers
themselves are not carried: each rule is a boolean column. A test keeps them in step with the
case page's rules.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, exists, false, literal, or_, select

from ..cases.fields import site_date
from ..cases.safety_risks import RiskFacts, kidney_date_risk
from ..extensions import db
from ..models import Case, ExamRecord, Referral
from ..siteconfig_safety import SafetyLimits

YES = "yes"
# The site's modalities and catalogue exams that ask a question.
Asking = tuple[tuple[str, ...], tuple[str, ...]]


def asked(modalities: tuple[str, ...], exams: tuple[str, ...]) -> ColumnElement[bool]:
    """The case's modality, its referral's catalogue exam, or the exam documented for it is one
    that asks the question."""
    found: list[ColumnElement[bool]] = []
    if modalities:
        found.append(Case.modality.in_(modalities))
    if exams:
        found.append(Referral.exam_code.in_(exams))
        # Correlated, and last: looked up by the exam's unique case id only for a case whose
        # answer is missing (or risky) and whose modality and referral do not ask.
        found.append(exists().where(ExamRecord.case_id == Case.id, ExamRecord.exam_code.in_(exams)))
    return or_(*found) if found else false()


def contrast_applies(exams: tuple[str, ...]) -> ColumnElement[bool]:
    """Contrast planned or given, or a catalogue contrast exam (exams) referred or documented."""
    given: ColumnElement[bool] = ExamRecord.contrast_agent != ""
    planned: ColumnElement[bool] = Referral.contrast_planned.is_(True)
    if exams:
        given = given | ExamRecord.exam_code.in_(exams)
        planned = planned | Referral.exam_code.in_(exams)
    # Correlated, and last: looked up by the exam's unique case id only for a case whose
    # answers call for it and whose contrast was not planned. A subquery over every exam of
    # the database doubled the board's time.
    return planned | exists().where(ExamRecord.case_id == Case.id, given)


def egfr_below(limit: float) -> ColumnElement[bool]:
    """An eGFR that may be under the limit, as cases/safety_risks.may_be_below reads it."""
    # Compared as stored, never rounded: 29.6 is below 30, and 30 itself is not. "<15" may be
    # under any limit; ">90" is compared by its number.
    return (Referral.egfr < literal(float(limit))) | (
        Referral.egfr.is_not(None) & (Referral.egfr_bound == "<")
    )


def risk_flags(
    mr: Asking, contrast: tuple[str, ...], pregnancy: Asking, limits: SafetyLimits
) -> tuple[ColumnElement[bool], ColumnElement[bool], ColumnElement[bool]]:
    """A risky MR or contrast answer for the exam; a pregnancy answered Ja before an exam that
    asks it (whether the patient may be pregnant is asked of those rows); and a kidney value
    before contrast whose date is then asked of those rows (kidney_date_risks)."""
    live = Case.status != "cancelled"
    mr_risk = ((Referral.pacemaker == YES) | (Referral.implants == YES)) & asked(*mr)
    given = Referral.kidney_unknown.is_(False)
    contrast_risk = (
        (Referral.contrast_allergy == YES)
        | egfr_below(limits.contrast_egfr)
        | ((Referral.metformin == YES) & egfr_below(limits.metformin_egfr))
        # A creatinine alone: the limits are eGFR, and none is worked out here.
        | (Referral.egfr.is_(None) & Referral.creatinine.is_not(None) & given)
    ) & contrast_applies(contrast)
    pregnancy_risk = live & (Referral.pregnancy == YES) & asked(*pregnancy)
    # The age is counted in days at the site, which SQLite cannot: asked only of these rows.
    kidney_dated: ColumnElement[bool] = (
        live
        & (Referral.egfr.is_not(None) | Referral.creatinine.is_not(None))
        & given
        & contrast_applies(contrast)
        if limits.kidney_max_age_days
        else false()
    )
    return live & (mr_risk | contrast_risk), pregnancy_risk, kidney_dated


def kidney_date_risks(arrivals: dict[int, datetime], limits: SafetyLimits) -> set[int]:
    """Of the cases flagged kidney_dated (their arrival by case id), those whose kidney value
    is too old at arrival or of unknown date, by the case page's rule."""
    if not arrivals:
        return set()
    dates = db.session.execute(
        select(Referral.case_id, Referral.kidney_measured_on).where(
            Referral.case_id.in_(list(arrivals))
        )
    )
    return {
        case_id
        for case_id, measured in dates
        # A value is given (the flag says so); which one does not matter to its age.
        if kidney_date_risk(
            limits,
            RiskFacts(
                modality="",
                egfr=0.0,
                kidney_measured_on=measured,
                arrived_on=site_date(arrivals[case_id]),
            ),
        )
        is not None
    }


def safety_flags(mr: Asking, pregnancy: Asking) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """MR safety unanswered, and the pregnancy question unanswered on an exam that asks it.

    Worked out in the query: SQLite sorts every row of the incident with all its columns before
    the limit, so the answers themselves are not carried. Whether the patient may be pregnant
    (sex and age) is then asked only of the rows this flags.
    """
    live = Case.status != "cancelled"
    mr_unanswered = live & ((Referral.pacemaker == "") | (Referral.implants == "")) & asked(*mr)
    pregnancy_open = live & (Referral.pregnancy == "") & asked(*pregnancy)
    return mr_unanswered, pregnancy_open


def contrast_unanswered(exams: tuple[str, ...]) -> ColumnElement[bool]:
    """A contrast exam, given or planned, whose referral lacks its allergy, kidney or metformin
    answer (cases/contrast.py); exams are the catalogue's contrast exams."""
    missing = (
        (Referral.contrast_allergy == "")
        | (Referral.metformin == "")
        | (
            Referral.egfr.is_(None)
            & Referral.creatinine.is_(None)
            & Referral.kidney_unknown.is_(False)
        )
    )
    return (Case.status != "cancelled") & missing & contrast_applies(exams)
