"""Reporting views: HTTP only."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from ..access import roles
from ..audit import log_read
from ..cases.conflicts import conflict_of, reopen, section_differences
from ..cases.errors import CaseError, CaseNotFound, SubmissionConflict, VersionConflict
from ..cases.forms import shown_version
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..cases.submissions import payload_hash
from ..draft_versions import offered_drafts
from ..drafts.queries import draft_to_continue
from ..extensions import db
from ..formutil import choices, confirm_saved, new_form_key
from ..i18n import gettext as _
from ..incidents.forms import ConfirmForm
from ..incidents.queries import current_incident
from ..models import Case, ReportTemplate, utcnow
from . import bp
from .case_services import change_priority
from .dispatch_page import dispatch_context
from .faxed import enter_faxed_report
from .forms import AddendumForm, FaxReportForm, PriorityForm, ReportForm
from .library import template_for_exam, templates_for
from .queries import calls_for, worklist
from .services import ReportError, add_addendum, save_report

DEFAULT_SECTIONS = ["Fynd", "Bedömning"]


WORKLIST_ROWS = 60


@bp.route("/")
@roles("radiologist", "admin")
def index() -> ResponseReturnValue:
    """Worklist: cases waiting for a report, most urgent first."""
    incident = current_incident()
    if incident is None:
        return redirect(url_for("main.index"))
    log_read("worklist_view", incident_id=incident.id)
    items = worklist(incident.id, g.site_config)
    show_all = request.args.get("all") == "1"
    # Like the board: the most urgent first, and every unmade urgent call and overdue case
    # whatever their number.
    shown = len(items) if show_all else max(WORKLIST_ROWS, sum(i.needs_someone for i in items))
    return render_template(
        "reporting/worklist.html",
        incident=incident,
        items=items[:shown],
        total=len(items),
        screen_url=url_for("reporting.screen", case_id=0).removesuffix("0"),
    )


def _template_id(value: str | None) -> int | None:
    """The id a form or URL names, if the text can be one (ASCII digits, in range)."""
    if value and value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def _site_templates() -> list[ReportTemplate]:
    """The active templates, loaded once per request (the screen needs them twice)."""
    if "site_templates" not in g:
        g.site_templates = templates_for(g.user.site_id)
    return g.site_templates  # type: ignore[no-any-return]


def _template(case: Case, wanted: str | None) -> ReportTemplate | None:
    if wanted == "":  # "Ingen mall" picked
        return None
    if wanted and wanted.isdigit():
        template_id = _template_id(wanted)
        template = db.session.get(ReportTemplate, template_id) if template_id else None
        if template is not None and template.site_id == g.user.site_id:
            return template
        return None
    referral = case.referral
    return template_for_exam(
        g.user.site_id,
        referral.exam_code if referral else "",
        case.modality,
        templates=_site_templates(),
    )


def _under_headings(typed: list[dict[str, str]], headings: list[str]) -> list[dict[str, str]]:
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


def _initial_sections(case: Case, template: ReportTemplate | None) -> list[dict[str, str]]:
    existing = case.report.sections if case.report else []
    if template:
        headings = list(template.sections)
    else:
        headings = [s["heading"] for s in existing] or DEFAULT_SECTIONS
    sections = _under_headings(existing, headings)
    if case.referral and not any(s["text"] for s in sections):
        for s in sections:
            if s["heading"].lower() == "frågeställning":
                s["text"] = case.referral.clinical_question
    return sections


def _render_screen(
    case: Case, form: ReportForm, template: ReportTemplate | None, status: int = 200, **extra: Any
) -> ResponseReturnValue:
    # Every answer that shows the case is a read, a refused submit's included.
    record_view(case, g.user, "report_view")
    priority_form = extra.pop("priority_form", None) or PriorityForm()
    priority_form.priority.choices = choices((p.code, p.label) for p in g.site_config.priorities)
    if not priority_form.priority.data:
        priority_form.priority.data = case.priority
    return render_template(
        "reporting/screen.html",
        case=case,
        form=form,
        template=template,
        templates=_site_templates(),
        priority_form=priority_form,
        addendum_form=extra.pop("addendum_form", None) or _addendum_form(),
        calls=calls_for(case.id),
        offers=offered_drafts("report", case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
        **dispatch_context(case, "screen"),
        **extra,
    ), status


def _addendum_form() -> AddendumForm:
    """An empty addendum form with its own key (never the key of another form on the page)."""
    form = AddendumForm(formdata=None)
    form.form_key.data = new_form_key()
    return form


@bp.route("/<int:case_id>", methods=["GET", "POST"])
@roles("radiologist")
def screen(case_id: int) -> ResponseReturnValue:
    """Referral and exam beside the report editor; save, sign preliminary or definitive."""
    if request.method == "GET":
        case = get_case_or_404(case_id, for_page=True)
        template = _template(case, request.values.get("template"))
        draft, key = draft_to_continue(
            request.args.get("draft", ""), g.user.site_id, "report", case.id
        )
        if draft is not None:
            form = ReportForm(formdata=MultiDict(draft.data))
            if "template" in request.args:
                # Another template was picked with text typed: the text moves under its headings.
                typed = [
                    {"heading": s.heading.data or "", "text": s.text.data or ""}
                    for s in form.sections
                ]
                headings = list(template.sections) if template else DEFAULT_SECTIONS
                form = ReportForm(
                    formdata=None,
                    data={
                        "sections": _under_headings(typed, headings),
                        "is_urgent": form.is_urgent.data,
                        "version": form.version.data,
                    },
                )
        else:
            form = ReportForm(
                formdata=None,
                data={
                    "sections": _initial_sections(case, template),
                    "is_urgent": case.report.is_urgent if case.report else False,
                    "version": case.report.version if case.report else None,
                },
            )
        form.form_key.data = key
        form.template_id.data = str(template.id) if template else ""
        # A draft of a report signed or faxed meanwhile has no editor to go into: its text is
        # shown to read and copy, as after a refused save.
        unsaved = (
            [(s.heading.data or "", s.text.data or "") for s in form.sections]
            if draft is not None
            else None
        )
        return _render_screen(case, form, template, unsaved=unsaved)
    form = ReportForm()
    action = request.form.get("action", "save")
    # A submit goes straight to the service, which checks the case, its site and the template's
    # site inside the write transaction; the case is loaded here only to draw the page.
    if form.validate_on_submit():
        sign = {"preliminary": "preliminary", "definitive": "definitive"}.get(action, "")
        typed = [{"heading": s.heading.data, "text": s.text.data} for s in form.sections]
        try:
            save_report(
                case_id=case_id,
                user=g.user,
                sections=typed,
                template_id=_template_id(form.template_id.data),
                is_urgent=bool(form.is_urgent.data),
                sign=sign,
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("reporting.screen", case_id=case_id),
                shown_version=shown_version(form.version),
            )
        except CaseNotFound:
            abort(404)
        except (VersionConflict, SubmissionConflict) as exc:
            case = get_case_or_404(case_id, for_page=True)
            stored = case.report.sections if case.report else []
            reopen(form, exc, version=case.report.version if case.report else None)
            return _render_screen(
                case,
                form,
                _template(case, request.values.get("template")),
                409,
                conflict=conflict_of(exc, section_differences(typed, stored)),
                unsaved=[(s["heading"], s["text"]) for s in typed],
            )
        except CaseError as exc:  # a ReportError: e.g. signed definitively meanwhile
            flash(str(exc), "error")
            case = get_case_or_404(case_id, for_page=True)
            return _render_screen(
                case,
                form,
                _template(case, request.values.get("template")),
                400,
                unsaved=[(s["heading"], s["text"]) for s in typed],
            )
        confirm_saved(form.form_key.data or "")
        messages = {
            "": _("Utkastet är sparat."),
            "preliminary": _("Utlåtandet är preliminärt signerat."),
            "definitive": _("Utlåtandet är definitivt signerat."),
        }
        flash(messages[sign], "success")
        # No flash for an urgent finding: the screen's call reminder says it, with the call.
        return redirect(url_for("reporting.screen", case_id=case_id))
    case = get_case_or_404(case_id, for_page=True)
    return _render_screen(case, form, _template(case, request.values.get("template")), 400)


@bp.route("/<int:case_id>/priority", methods=["POST"])
@roles("radiologist")
def priority(case_id: int) -> ResponseReturnValue:
    """Change the referral's priority (audited)."""
    case = get_case_or_404(case_id)
    form = PriorityForm()
    form.priority.choices = choices((p.code, p.label) for p in g.site_config.priorities)
    if form.validate_on_submit():
        try:
            change_priority(
                case_id=case.id,
                user=g.user,
                priority=form.priority.data or "",
                reason=form.reason.data or "",
            )
        except ReportError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Prioriteten är ändrad."), "success")
        return redirect(url_for("reporting.screen", case_id=case.id))
    report_form = ReportForm(
        formdata=None,
        data={
            "sections": _initial_sections(case, None),
            "version": case.report.version if case.report else None,
        },
    )
    report_form.form_key.data = new_form_key()
    return _render_screen(case, report_form, None, 400, priority_form=form)


@bp.route("/<int:case_id>/addendum", methods=["POST"])
@roles("radiologist")
def addendum(case_id: int) -> ResponseReturnValue:
    """Add a signed addendum to a definitive report."""
    case = get_case_or_404(case_id)
    form = AddendumForm()
    if form.validate_on_submit():
        try:
            add_addendum(
                case_id=case.id,
                user=g.user,
                text=form.text.data or "",
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("reporting.screen", case_id=case.id),
            )
        except CaseError as exc:  # a ReportError, or the key sent again with other text
            flash(str(exc), "error")
        else:
            flash(_("Tillägget är signerat."), "success")
            return redirect(url_for("reporting.screen", case_id=case.id))
    report_form = ReportForm(
        formdata=None,
        data={
            "sections": _initial_sections(case, None),
            "version": case.report.version if case.report else None,
        },
    )
    report_form.form_key.data = new_form_key()
    return _render_screen(case, report_form, None, 400, addendum_form=form)


@bp.route("/<int:case_id>/fax", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def fax(case_id: int) -> ResponseReturnValue:
    """Enter a report that arrived by fax (e.g. from the external night reviewer)."""
    case = get_case_or_404(case_id)
    form = FaxReportForm()
    if request.method == "GET":
        form.received_at.data = utcnow()
        form.form_key.data = new_form_key()
    if form.validate_on_submit():
        sections = [
            {"heading": "Fynd", "text": form.findings.data or ""},
            {"heading": "Bedömning", "text": form.conclusion.data or ""},
        ]
        try:
            enter_faxed_report(
                case_id=case.id,
                user=g.user,
                author_name=form.author_name.data or "",
                received_at=form.received_at.data,
                sections=sections,
                state=form.state.data or "",
                is_urgent=bool(form.is_urgent.data),
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
            )
        except CaseError as exc:  # a ReportError, or the key sent again with other content
            # Beside the signature state: what the case's report already is decides the refusal.
            form.state.errors = [*form.state.errors, str(exc)]
        else:
            flash(_("Det faxade utlåtandet är infört."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user, "fax_report_view")  # after a refused submit too
    status = 400 if form.errors else 200
    return render_template("reporting/fax.html", case=case, form=form), status
