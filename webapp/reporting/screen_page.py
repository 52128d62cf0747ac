"""What the report screen draws: the template picked, the sections to edit, the page itself.

Apart from the views: the screen's own actions (priority, instruction, addendum) redraw it after a
refusal.
"""

from __future__ import annotations

from typing import Any

from flask import g, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..call_rule import needs_call
from ..cases.safety_risks import case_safety_risks
from ..cases.services import record_view
from ..draft_versions import offers_by_kind
from ..drafts.queries import draft_for_key, draft_formdata, draft_to_continue, resume_form
from ..extensions import db
from ..formutil import new_form_key
from ..incidents.forms import ConfirmForm
from ..models import Case, ReportTemplate
from ..models.report import QUESTION, SECOND_LOOK_OUTCOMES
from ..pacs_rule import only_on_modality
from ..protocol_rule import protocol_of
from ..reviewer_rule import awaited_since
from ..row_ids import row_id
from .dispatch_page import dispatch_context
from .forms import AddendumForm, PriorityForm, ProtocolForm, ReportForm, SecondLookForm
from .library import template_for_exam, templates_for
from .over_draft import replaced_draft
from .queries import calls_for
from .signed import text_as_signed

DEFAULT_SECTIONS = ["Fynd", "Bedömning"]
ADDENDUM_DRAFT_KIND = "addendum"


def site_templates() -> list[ReportTemplate]:
    """The active templates, loaded once per request (the screen needs them twice)."""
    if "site_templates" not in g:
        g.site_templates = templates_for(g.user.site_id)
    return g.site_templates  # type: ignore[no-any-return]


def pick_template(case: Case, wanted: str | None) -> ReportTemplate | None:
    if wanted == "":  # "Ingen mall" picked
        return None
    if wanted and wanted.isdigit():
        template_id = row_id(wanted)
        template = db.session.get(ReportTemplate, template_id) if template_id else None
        if template is not None and template.site_id == g.user.site_id:
            return template
        return None
    report = case.report
    if report is not None and report.sections:
        # The template the report was saved with ("Ingen mall": none), not the exam's default
        # again: that moved the text under other headings after every save. A template taken
        # out of use since leaves the report under its own headings.
        return next((t for t in site_templates() if t.id == report.template_id), None)
    referral = case.referral
    return template_for_exam(
        g.user.site_id,
        referral.exam_code if referral else "",
        case.modality,
        templates=site_templates(),
    )


def under_headings(typed: list[dict[str, str]], headings: list[str]) -> list[dict[str, str]]:
    """The typed text under the given headings; text under a heading they lack is kept last."""
    existing: dict[str, str] = {}
    for s in typed:
        if s["heading"] in existing:
            both = (existing[s["heading"]], s["text"])
            existing[s["heading"]] = "\n\n".join(t for t in both if t)
        else:
            existing[s["heading"]] = s["text"]
    sections = [{"heading": h, "text": existing.pop(h, "")} for h in headings]
    return sections + [{"heading": h, "text": t} for h, t in existing.items() if t]


def initial_sections(case: Case, template: ReportTemplate | None) -> list[dict[str, str]]:
    existing = case.report.sections if case.report else []
    if template:
        headings = list(template.sections)
    else:
        headings = [s["heading"] for s in existing] or DEFAULT_SECTIONS
    sections = under_headings(existing, headings)
    if case.referral and not any(s["text"] for s in sections):
        for s in sections:
            if s["heading"].lower() == QUESTION:
                s["text"] = case.referral.clinical_question
    return sections


def stored_report_form(case: Case, template: ReportTemplate | None) -> ReportForm:
    """The editor as the report stands, urgent flag included: a page redrawn after another
    form on it was refused must not sign the report without the flag it had."""
    return ReportForm(
        formdata=None,
        data={
            "sections": initial_sections(case, template),
            "is_urgent": case.report.is_urgent if case.report else False,
            "read_on": case.report.read_on if case.report else "",
            "version": case.report.version if case.report else None,
        },
    )


def render_screen(
    case: Case, form: ReportForm, template: ReportTemplate | None, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    # Every answer that shows the case is a read, a refused submit's included.
    record_view(case, g.user, "report_view")
    priority_form = (extra.pop("priority_form", None) or PriorityForm()).setup(g.site_config)
    if not priority_form.priority.data:
        priority_form.priority.data = case.priority
    if not priority_form.case_version.data:
        priority_form.case_version.data = case.version
    if not priority_form.form_key.data:
        priority_form.form_key.data = new_form_key()
    protocol_form = extra.pop("protocol_form", None) or ProtocolForm(
        formdata=None, data={"protocol": case.protocol}
    )
    if not protocol_form.case_version.data:
        protocol_form.case_version.data = case.version
    if not protocol_form.form_key.data:
        protocol_form.form_key.data = new_form_key()
    calls = calls_for(case.id)
    addendum = extra.pop("addendum_form", None) or addendum_form()
    if request.method == "GET" or not addendum.addenda_shown.data:
        # What this screen shows (a resumed draft's own count is older than the screen).
        addendum.addenda_shown.data = str(len(case.report.addenda) if case.report else 0)
    if not addendum.identity_revision.data:
        # A resumed draft keeps the identity its text was typed beside (one drafted before the
        # field existed stands on the identity shown now).
        addendum.identity_revision.data = str(case.identity_revision)
    locked = case.report is not None and case.report.is_locked
    second_look_form = extra.pop("second_look_form", None) or SecondLookForm(formdata=None)
    if not second_look_form.form_key.data:
        second_look_form.form_key.data = new_form_key()
    # The form of the page that autosaves (the editor, or the addendum's once signed): the
    # screen's other forms and the call form carry its key, so the screen drawn after them
    # continues it in place, not only offering its text as a draft.
    autosave_key = (addendum.form_key.data if locked else form.form_key.data) or ""
    # The drafts offered beside each of the screen's forms, read in one statement (the screen
    # is the radiologists' busiest page). The addendum's own drafts only once the report is
    # signed: the editor's are not shown then.
    keys = {
        "report": form.form_key.data or "",
        "protocol": protocol_form.form_key.data or "",
        "priority": priority_form.form_key.data or "",
    }
    if locked:
        keys[ADDENDUM_DRAFT_KIND] = addendum.form_key.data or ""
    offers = offers_by_kind(keys, case.id, g.user.site_id)
    return render_template(
        "reporting/screen.html",
        case=case,
        form=form,
        template=template,
        templates=site_templates(),
        priority_form=priority_form,
        protocol_form=protocol_form,
        protocol=protocol_of(case),
        addendum_form=addendum,
        second_look_form=second_look_form,
        second_look_outcomes=SECOND_LOOK_OUTCOMES,
        images_on_modality=case.exam is not None and only_on_modality(case.exam.pacs_status),
        # The addendum's own drafts, offered beside its form (the editor's are not shown then).
        addendum_offers=offers.get(ADDENDUM_DRAFT_KIND, []),
        calls=calls,
        needs_call=needs_call(case.report, calls),
        autosave_key=autosave_key,
        call_return=url_for("reporting.screen", case_id=case.id, draft=autosave_key or None),
        as_signed=text_as_signed(db.session, case.report),
        # A draft typed here that a report keyed in took the place of: its author reads it back.
        replaced_draft=replaced_draft(db.session, case.report),
        offers=offers["report"],
        protocol_offers=offers["protocol"],
        priority_offers=offers["priority"],
        offer_form=ConfirmForm(),
        safety_risks=case_safety_risks(case, g.site_config),
        # Said here as on the worklist: opened from a link, the case could be read twice.
        reviewer_since=awaited_since(case.id),
        **dispatch_context(case, "screen"),
        **extra,
    ), status


# The screen's forms beside the editor that autosave as drafts of the case.
SIDE_KINDS = ("protocol", "priority")


def side_forms(case: Case) -> tuple[str, dict[str, Any]]:
    """The instruction and priority forms as opened, each continuing its draft, and the key of
    ?draft= left for the editor ("" if one of them took it).

    ?draft= names one draft of the screen: the kind the laptop holds it under, or the kind the
    tablet's link names (?draft_kind=, a key typed offline only), takes it; else the editor
    does, as before. A reload comes back with ?protocol_draft= or ?priority_draft= beside the
    editor's own ?draft= (drafts.js, data-draft-param), so neither text leaves its box.
    """
    requested = request.args.get("draft", "")
    named = request.args.get("draft_kind", "")
    if requested and not named:
        held = draft_for_key(requested, g.user.site_id)
        named = held.kind if held is not None and held.case_id == case.id else ""
    forms: dict[str, Any] = {}
    for kind in SIDE_KINDS:
        key = requested if named == kind else request.args.get(f"{kind}_draft", "")
        if not key:
            continue
        form: PriorityForm | ProtocolForm
        if kind == "priority":
            form = PriorityForm(formdata=None).setup(g.site_config)
            form.priority.data = case.priority
        else:
            form = ProtocolForm(formdata=None, data={"protocol": case.protocol})
        # Without a draft on the laptop the stored value stays, under the key asked for.
        resume_form(form, kind, case.id, g.user.site_id, key)
        forms[f"{kind}_form"] = form
    return ("" if named in SIDE_KINDS else requested), forms


def resumed_addendum(case: Case, requested_key: str) -> AddendumForm:
    """The addendum form opened on GET: continuing the draft the key names (typed on another
    tablet, or before a reload), else empty under that key or a new one."""
    form = AddendumForm(formdata=None)
    resume_form(form, ADDENDUM_DRAFT_KIND, case.id, g.user.site_id, requested_key)
    return form


def addendum_form() -> AddendumForm:
    """An empty addendum form with its own key (never the key of another form on the page)."""
    form = AddendumForm(formdata=None)
    form.form_key.data = new_form_key()
    return form


def return_to_screen(case_id: int, anchor: str | None = None) -> str:
    """The screen after one of its other forms was sent, continuing the report or addendum
    being written (the draft key the form carried), not its stored text."""
    return url_for(
        "reporting.screen", case_id=case_id, draft=request.form.get("draft") or None, _anchor=anchor
    )


def redrawn_screen(case: Case, **forms: Any) -> ResponseReturnValue:
    """The screen drawn again after one of its other forms was refused, the report or addendum
    being written (the draft key the form carried) still in its editor under its key."""
    template = pick_template(case, None)
    requested = request.form.get("draft", "")
    if case.report is not None and case.report.is_locked:
        report_form = stored_report_form(case, template)
        report_form.form_key.data = new_form_key()
        forms.setdefault("addendum_form", resumed_addendum(case, requested))
        return render_screen(case, report_form, template, 400, **forms)
    draft, key = draft_to_continue(requested, g.user.site_id, "report", case.id)
    if draft is None:
        report_form = stored_report_form(case, template)
    else:
        report_form = ReportForm(formdata=None)
        report_form.process(formdata=draft_formdata(report_form, draft.data))
        # A draft of a report faxed in meanwhile has no editor to go into: shown to copy.
        forms.setdefault(
            "unsaved", [(s.heading.data or "", s.text.data or "") for s in report_form.sections]
        )
    report_form.form_key.data = key
    report_form.template_id.data = str(template.id) if template else ""
    return render_screen(case, report_form, template, 400, **forms)
