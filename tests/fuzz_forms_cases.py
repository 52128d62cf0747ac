"""The case and reporting forms for the bad-input tests (test_fuzz_forms.py): the fields to
spoil, and those whose typed values must come back."""

from __future__ import annotations

from typing import Any

from webapp.cases import formdata

from .factories import exam_data, local_minute, referral_data, report_data
from .fuzz_harness import Form, fresh_key
from .test_access_wall import World

# The case forms' own field lists, with the identity, priority and modality fields beside them.
REFERRAL_FIELDS = (
    "form_key",
    "id_mode",
    "personal_number",
    "reserve_number",
    "sex",
    "approx_age",
    "patient_name",
    "priority",
    "modality",
    *formdata.REFERRAL_FIELDS,
)
REFERRAL_ECHO = (
    "personal_number",
    "patient_name",
    "referrer_unit",
    "referrer_clinician",
    "referrer_phone",
    "reply_fax",
    "exam_text",
    "clinical_question",
    "history",
    "implants_note",
    "infection_note",
    "arrived_at",
)
EXAM_FIELDS = ("form_key", *formdata.EXAM_FIELDS)
EXAM_ECHO = (
    "exam_text",
    "radiographers",
    "modality_temp_id",
    "contrast_agent",
    "complications",
    "notes",
    "started_at",
)


def _referral(world: World) -> dict[str, Any]:
    return referral_data(form_key=fresh_key())


CASE_FORMS = (
    Form("cases.new", "/cases/new", "radiographer", _referral, REFERRAL_FIELDS, REFERRAL_ECHO),
    Form(
        "cases.edit_referral",
        "/cases/{case_id}/referral",
        "radiographer",
        _referral,
        REFERRAL_FIELDS,
        REFERRAL_ECHO,
    ),
    Form(
        "blanks.open_blank",
        "/blanks/{reserved_code}/open",
        "radiographer",
        _referral,
        REFERRAL_FIELDS,
        REFERRAL_ECHO,
    ),
    Form(
        "cases.identity",
        "/cases/{case_id}/identity",
        "radiographer",
        lambda w: {
            "id_mode": "pnr",
            "personal_number": "19121212-1212",
            "patient_name": "Örjan Älvström",
            "reason": "Stavning",
        },
        ("id_mode", "personal_number", "reserve_number", "sex", "approx_age", "patient_name"),
        ("personal_number", "patient_name", "reason"),
    ),
    Form(
        "cases.exam",
        "/cases/{case_id}/exam",
        "radiographer",
        lambda w: exam_data(form_key=fresh_key()),
        EXAM_FIELDS,
        EXAM_ECHO,
    ),
    Form("cases.cancel", "/cases/{case_id}/cancel", "radiographer", lambda w: {}, ("reason",)),
    Form("cases.restore", "/cases/{case_id}/restore", "radiographer", lambda w: {}, ("reason",)),
    # The world has no other open incident: any target is refused beside it, the reason kept.
    Form(
        "cases.move",
        "/cases/{case_id}/move",
        "radiographer",
        lambda w: {"target": "1", "reason": "Fel driftstopp"},
        ("target", "reason", "shown"),
        ("reason",),
    ),
    # The world's binder code is joined to no case: refused, back to the case page.
    Form(
        "cases.detach_blank",
        "/cases/{case_id}/blanks/{reserved_code}/detach",
        "radiographer",
        lambda w: {"form_key": fresh_key(), "reason": "Fel ärende"},
        ("form_key", "reason"),
        ("reason",),
    ),
    # The world's binder code is joined to no case: refused, back to the case page.
    Form(
        "cases.blank_read_same",
        "/cases/{case_id}/blanks/{reserved_code}/read-same",
        "radiologist",
        lambda w: {"form_key": fresh_key()},
        ("form_key",),
        (),
    ),
    # The world's case is not cancelled: refused, back to the case page (test_cases_cancel_notice).
    Form(
        "cases.cancel_notice",
        "/cases/{case_id}/cancel-notice",
        "radiographer",
        lambda w: {
            "form_key": fresh_key(),
            "kind": "faxed",
            "fax_number": "0999-123 46",
            "faxed_at": local_minute(),
        },
        ("kind", "fax_number", "faxed_at", "note"),
    ),
    # Nor is it cancelled with its referral at the reviewer: refused, back to the case page.
    Form(
        "cases.reviewer_told",
        "/cases/{case_id}/reviewer-told",
        "radiographer",
        lambda w: {"form_key": fresh_key(), "how": "Faxat till koordinatorn"},
        ("how",),
    ),
    # Nor was its referrer told of a cancel undone: refused, back to the case page.
    Form(
        "cases.restore_call",
        "/cases/{case_id}/restore-call",
        "radiographer",
        lambda w: {
            "form_key": fresh_key(),
            "called_person": "Dr Åberg",
            "phone_number": "0999-123 45",
            "called_at": local_minute(),
        },
        ("called_person", "phone_number", "called_at", "note"),
    ),
    # The world's exam says its images are in PACS: a valid send is refused calmly, and bad
    # input is answered on the case page beside the time.
    Form(
        "cases.images_sent",
        "/cases/{case_id}/pacs",
        "radiographer",
        lambda w: {"sent_at": "2026-01-15T13:05"},
        ("sent_at", "form_key"),
        ("sent_at",),
    ),
)

REPORTING_FORMS = (
    Form(
        "reporting.screen",
        "/reporting/{open_case_id}",
        "radiologist",
        lambda w: report_data("save", fresh_key()),
        (
            "form_key",
            "action",
            "template_id",
            "sections-0-heading",
            "sections-0-text",
            "sections-1-text",
            "sections-25-text",
            "is_urgent",
        ),
        ("sections-0-text", "sections-1-text"),
    ),
    Form(
        "reporting.priority",
        "/reporting/{case_id}/priority",
        "radiologist",
        lambda w: {"priority": "akut", "reason": ""},
        ("priority", "reason"),
        ("reason",),
    ),
    Form(
        "reporting.protocol",
        "/reporting/{case_id}/protocol",
        "radiologist",
        lambda w: {"protocol": "Ring mig"},
        ("protocol",),
        ("protocol",),
    ),
    # The world's report was read in PACS: a valid second look is refused calmly.
    Form(
        "reporting.second_look",
        "/reporting/{case_id}/second-look",
        "radiologist",
        lambda w: {"outcome": "no_change"},
        ("outcome", "form_key"),
        (),
    ),
    Form(
        "reporting.addendum",
        "/reporting/{case_id}/addendum",
        "radiologist",
        lambda w: {"text": ""},
        ("text",),
        ("text",),
    ),
    Form(
        "reporting.call",
        "/reporting/{case_id}/call",
        "radiologist",
        lambda w: {
            "called_person": "Dr Åberg",
            "phone_number": "0999-123 45",
            "called_at": "2026-01-15T11:30",
            "note": "",
        },
        ("called_person", "phone_number", "called_at", "note"),
        ("called_person", "phone_number", "called_at", "note"),
    ),
    Form(
        "reporting.fax",
        "/reporting/{case_id}/fax",
        "secretary",
        lambda w: {
            "author_name": "Dr Natt",
            "received_at": "2026-01-15T11:30",
            "state": "preliminary",
            "findings": "Inga fynd.",
            "conclusion": "",
        },
        (
            "author_name",
            "received_at",
            "state",
            "findings",
            "conclusion",
            "is_urgent",
            "replace_draft",
            "draft_version",
        ),
        ("author_name", "received_at", "findings", "conclusion"),
    ),
    Form(
        "reporting.paper",
        "/reporting/{case_id}/paper",
        "secretary",
        lambda w: {
            "author_id": "",
            "author_name": "Dr Papper",
            "written_at": "2026-01-15T11:30",
            "state": "definitive",
            "findings": "Inga fynd.",
            "conclusion": "",
            "already_faxed": "y",
            "faxed_at": "2026-01-15T11:40",
            "fax_number": "035-123 45 67",
        },
        (
            "author_id",
            "author_name",
            "written_at",
            "state",
            "findings",
            "conclusion",
            "is_urgent",
            "already_faxed",
            "faxed_at",
            "fax_number",
            "replace_draft",
            "draft_version",
        ),
        ("author_name", "written_at", "findings", "conclusion", "faxed_at", "fax_number"),
    ),
    Form(
        "reporting.dispatch",
        "/reporting/{case_id}/dispatch",
        "secretary",
        lambda w: {"fax_number": "035-123 45 67", "faxed_at": local_minute(), "note": ""},
        ("fax_number", "faxed_at", "note", "back"),
        ("fax_number", "note"),
    ),
)
