"""Anonymised referral and report for the external night reviewer (no name, no number)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from printforms.base import Mark, Sheet, render_sheets, sheet_marks
from printforms.blocks import (
    NOT_GIVEN,
    field_rows,
    heading,
    markup,
    pairs,
    text_section,
    warning_box,
)
from printforms.data import AnonymisedReferralData, AnonymisedReportData
from printforms.page import styles
from printforms.report import addenda_and_calls_story, fax_block, report_story
from printforms.rtl import DirectedParagraph

# A boxed mark in the header, so the receiving fax shows at a glance that no identity is on it.
ANONYMISED = Mark("ANONYMISERAD")
TEXT_REMOVED = "Identifierande uppgifter borttagna ur fritexten ([borttaget])."
# The routine hands faxed reports to the RIS administrator; the referrer gets the report with
# the patient's name and number ("Utlåtande (fax)"), never this one.
NOT_FOR_REFERRER = (
    "Inte till remittenten: remittenten får utlåtandet med patientens namn och personnummer."
)


def _who(sex: str, age: str) -> list[Flowable]:
    return field_rows([[("Kön", sex), ("Ålder", age)]])


def build_anonymised_referral_sheet(data: AnonymisedReferralData) -> Sheet:
    """The referral as the external reviewer may see it: case code, sex and age only."""
    story: list[Flowable] = [*warning_box(data.warnings), heading("Patient (anonymiserad)")]
    story += _who(data.sex, data.age)
    story += [heading("Remiss")]
    story += field_rows(
        [
            [
                ("Remitterande enhet", data.referring_unit),
                ("Remittent", data.referrer_clinician or NOT_GIVEN),
            ],
            [
                ("Remittentens telefon", data.referrer_phone or NOT_GIVEN),
                ("Prioritet", data.priority),
                ("Modalitet", data.modality),
            ],
            # The whole width: with a reply contact's hours it is the longest value here.
            [("Svar till", data.reply_to)],
            [("Önskad undersökning", data.requested_exam)],
        ]
    )
    if data.text_removed:
        story += [DirectedParagraph(markup(TEXT_REMOVED), styles().value)]
    story += text_section("Frågeställning", data.clinical_question)
    if data.history:
        story += text_section("Anamnes", data.history)
    if data.safety:
        story += [heading("Säkerhet")]
        # Three to a row: with infection and mobility, two to a row took the page's last row.
        story += field_rows(pairs([(item.label, item.value) for item in data.safety], 3))
    return Sheet(
        title="REMISS – ANONYMISERAD",
        code=data.meta.case_code,
        qr_payload=data.meta.qr_payload,
        story=story,
        marks=(
            ANONYMISED,
            *sheet_marks(
                data.meta.is_drill,
                data.meta.reprint_at,
                is_cancelled=data.meta.is_cancelled,
                changed_since=data.meta.changed_since,
                changed_parts=data.meta.changed_parts,
            ),
        ),
        department=data.meta.department,
        pdf_title=f"Anonymiserad remiss {data.meta.case_code}",
    )


def build_anonymised_report_sheet(data: AnonymisedReportData) -> Sheet:
    """The reviewer's report as faxed back, without identity, for the RIS administrator."""
    story: list[Flowable] = [heading("Fax")]
    story += fax_block(data.fax)
    story += [DirectedParagraph(markup(NOT_FOR_REFERRER), styles().value)]
    story += [heading("Patient (anonymiserad)")]
    story += _who(data.sex, data.age)
    story += field_rows([[("Undersökning", data.exam)]])
    if data.text_removed:
        story += [DirectedParagraph(markup(TEXT_REMOVED), styles().value)]
    story += report_story(data.sections, data.radiologist, data.signature_state, data.signed_at)
    story += addenda_and_calls_story(data.addenda, data.urgent_calls)
    return Sheet(
        title="UTLÅTANDE – ANONYMISERAT",
        code=data.meta.case_code,
        qr_payload=data.meta.qr_payload,
        story=story,
        marks=(
            ANONYMISED,
            *sheet_marks(
                data.meta.is_drill,
                data.meta.reprint_at,
                data.is_preliminary,
                is_cancelled=data.meta.is_cancelled,
                is_urgent=data.is_urgent,
                changed_since=data.meta.changed_since,
                changed_parts=data.meta.changed_parts,
            ),
        ),
        department=data.meta.department,
        pdf_title=f"Anonymiserat utlåtande {data.meta.case_code}",
    )


def render_anonymised_referral(data: AnonymisedReferralData) -> bytes:
    """The anonymised referral as PDF bytes."""
    return render_sheets([build_anonymised_referral_sheet(data)])


def render_anonymised_report(data: AnonymisedReportData) -> bytes:
    """The anonymised report as PDF bytes."""
    return render_sheets([build_anonymised_report_sheet(data)])
