"""The forms of an incident, its blanks and its catch-up for the bad-input tests
(test_fuzz_forms.py): the fields to spoil, and those whose typed values must come back."""

from __future__ import annotations

from webapp.checklist_keys import STEP_PREFIX, text_key
from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import parse_site_config

from .fuzz_harness import Form

FIRST_STEP = STEP_PREFIX + text_key(
    parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8")).scenarios["integration"].steps[0]
)

CATCHUP_FORMS = (
    Form(
        "catchup.ris_ids",
        "/catchup/cases/{case_id}/ris",
        "secretary",
        lambda w: {"ris_accession": "", "ris_exam_number": "U-1"},
        ("ris_accession", "ris_exam_number", "allow_duplicate"),
        ("ris_accession", "ris_exam_number"),
    ),
    Form(
        "catchup.step",
        "/catchup/cases/{case_id}/steps",
        "secretary",
        lambda w: {"step": "booked", "is_done": "1"},
        ("step", "is_done", "confirm_preliminary"),
    ),
    Form(
        "catchup.ris_pacs_cleaned",
        "/catchup/cases/{case_id}/ris-pacs-cleaned",
        "secretary",
        lambda w: {"note": "Makulerad i RIS", "back": "batch"},
        ("note", "back", "form_key"),
        ("note",),
    ),
    Form(
        "catchup.verify",
        "/catchup/cases/{case_id}/verify",
        "secretary",
        lambda w: {},
        ("x", "form_key"),
    ),
    Form(
        "catchup.lift",
        "/catchup/cases/{case_id}/waive/lift",
        "secretary",
        lambda w: {},
        ("shown", "waived_shown", "form_key"),
    ),
    Form(
        "catchup.confirm_waiver",
        "/catchup/cases/{case_id}/waive/confirm",
        "secretary",
        lambda w: {},
        ("shown", "waived_shown", "form_key"),
    ),
    Form(
        "catchup.waive",
        "/catchup/cases/{case_id}/waive",
        "secretary",
        lambda w: {"reason": ""},
        ("reason", "form_key"),
        ("reason",),
    ),
)

BLANK_FORMS = (
    Form(
        "blanks.reserve",
        "/blanks/reserve",
        "admin",
        lambda w: {"doc_kind": "BLR", "count": "0", "batch_label": "Pärm 1"},
        ("doc_kind", "count", "batch_label"),
        ("batch_label",),
    ),
    Form(
        "blanks.attach",
        "/blanks/{reserved_code}/attach",
        "radiographer",
        lambda w: {"typed": "19121212-1212"},
        ("typed",),
        ("typed",),
    ),
    Form(
        "blanks.void",
        "/blanks/{reserved_code}/void",
        "admin",
        lambda w: {},
        ("reason",),
    ),
)

INCIDENT_FORMS = (
    Form(
        "incidents.declare",
        "/incidents/new",
        "radiographer",
        lambda w: {"scenario": "", "notes": "Larm 10:02"},
        ("scenario", "is_drill", "started_at", "notes"),
        ("started_at", "notes"),
    ),
    Form(
        "incidents.tick",
        "/incidents/{incident_id}/steps",
        "radiographer",
        # The world's incident is of the integration scenario: its first step, keyed by its text.
        lambda w: {"step_key": FIRST_STEP, "is_done": "1"},
        ("step_key", "is_done", "note"),
    ),
    Form(
        "incidents.scenario",
        "/incidents/{incident_id}/scenario",
        "radiographer",
        lambda w: {"scenario": "om_ris"},
        ("scenario",),
    ),
    Form(
        "incidents.restored",
        "/incidents/{incident_id}/restored",
        "radiographer",
        lambda w: {"restored": "1"},
        ("restored",),
    ),
    Form(
        "followup.deviation",
        "/incidents/{incident_id}/followup/deviation",
        "secretary",
        lambda w: {"deviation_number": "AV-2026-1234"},
        ("deviation_number", "form_key"),
        ("deviation_number",),
    ),
    Form(
        "incidents.note",
        "/incidents/{incident_id}/notes",
        "radiographer",
        lambda w: {"note": ""},
        ("note",),
        ("note",),
    ),
)
