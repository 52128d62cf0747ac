"""The referral's safety answers on the reconciliation checklist, from the batch's own data.

The batch reads every referral's answers in its one query (catchup/batch_columns.py), so the
checklist shows them with no query per case, as the CSV, JSON and FHIR files do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from printforms import data as pd

from ..cases.display import ANSWER_LABELS, infection_text, mobility_text

if TYPE_CHECKING:
    from ..catchup.batch import ReferralData

# A yes to these is a warning that goes into RIS with the exam; "Vet ej" and "Nej" are not.
ALERT_QUESTIONS = ("contrast_allergy", "metformin", "pregnancy", "pacemaker", "implants")


def safety_answers(ref: ReferralData | None) -> tuple[pd.SafetyAnswer, ...]:
    """The questions the referral answered, labelled as on the referral form, in its order."""
    if ref is None:
        return ()
    answers = ref.safety

    def answer(key: str, label: str, note: str = "") -> list[pd.SafetyAnswer]:
        raw = answers.get(key, "")
        value = ANSWER_LABELS.get(raw, raw) if raw else ""
        text = f"{value} ({note})" if value and note else value or note
        if not text:
            return []
        return [pd.SafetyAnswer(label, text, is_alert=key in ALERT_QUESTIONS and raw == "yes")]

    def given(label: str, value: str) -> list[pd.SafetyAnswer]:
        return [pd.SafetyAnswer(label, value)] if value else []

    # The batch gives kidney values exactly as typed with a decimal point; staff read a comma.
    egfr = answers.get("egfr", "").replace(".", ",")
    creatinine = answers.get("creatinine", "").replace(".", ",")
    return (
        *([pd.SafetyAnswer("Kontrast planerad")] if ref.contrast_planned else []),
        *answer("contrast_allergy", "Kontrastmedelsallergi"),
        *given("eGFR", egfr),
        *given("Kreatinin", f"{creatinine} µmol/l" if creatinine else ""),
        *given("Provtagningsdatum", answers.get("kidney_measured_on", "")),
        # Unknown before a contrast exam is for the radiologist to weigh: marked like a yes.
        *(
            [pd.SafetyAnswer("Njurfunktion okänd", is_alert=True)]
            if answers.get("kidney_unknown") == "yes"
            else []
        ),
        *answer("metformin", "Metformin"),
        *answer("pregnancy", "Graviditet"),
        *answer("pacemaker", "Pacemaker/ICD"),
        *answer("implants", "Implantat", answers.get("implants_note", "")),
        # In the referral sheet's words; isolation is prepared for when the patient is booked,
        # so a yes is marked as the others are.
        *(
            [
                pd.SafetyAnswer(
                    "Smitta/isolering",
                    infection_text(ref.infection, ref.infection_note),
                    is_alert=ref.infection == "yes",
                )
            ]
            if ref.infection
            else []
        ),
        *given("Förflyttning", mobility_text(ref.mobility) if ref.mobility else ""),
    )
