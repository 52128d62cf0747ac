"""Reporting views: the worklist and the report screen with its own actions. HTTP only."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..audit import log_read
from ..cases.conflicts import conflict_of, reopen, section_differences
from ..cases.errors import (
    CaseError,
    CaseNotFound,
    CodeGone,
    ContinuedElsewhere,
    SubmissionConflict,
    VersionConflict,
)
from ..cases.formdata import show_code_gone
from ..cases.forms import shown_version
from ..cases.queries import get_case_or_404
from ..cases.submissions import SentOnce, payload_hash
from ..cases.versions import ANY_VERSION
from ..drafts.queries import draft_formdata, draft_to_continue
from ..formutil import confirm_saved, new_form_key, version_shown
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.queries import current_incident, other_open_incidents
from ..models import Case, ReportTemplate
from ..row_ids import row_id
from ..storage_errors import StorageUnavailable, write_was_refused
from . import bp
from .addenda import AddendumSinceShown, add_addendum
from .case_services import change_priority
from .forms import AddendumForm, PriorityForm, ReportForm
from .queries import worklist
from .screen_page import (
    DEFAULT_SECTIONS,
    pick_template,
    redrawn_screen,
    render_screen,
    resumed_addendum,
    return_to_screen,
    side_forms,
    stored_report_form,
    under_headings,
)
from .services import ReportError, UrgentNotCalled, save_report

WORKLIST_ROWS = 60
ADDENDUM_SENT_BEFORE = (
    "Tillägget är redan signerat med texten som skickades först (se utlåtandet). Signera igen "
    "för att lägga till texten här som ett nytt tillägg."
)


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
        others=[] if incident.is_drill else other_open_incidents(incident),
        items=items[:shown],
        total=len(items),
        # Only a radiologist has a reporting screen; an admin's row opens the case page.
        screen_url=url_for(
            "reporting.screen" if g.user.role == "radiologist" else "cases.show", case_id=0
        ).removesuffix("0"),
    )


@bp.route("/<int:case_id>", methods=["GET", "POST"])
@roles("radiologist")
def screen(case_id: int) -> ResponseReturnValue:
    """Referral and exam beside the report editor; save, sign preliminary or definitive."""
    if request.method == "GET":
        case = get_case_or_404(case_id, for_page=True)
        template = pick_template(case, request.values.get("template"))
        requested, side = side_forms(case)
        draft, key = draft_to_continue(requested, g.user.site_id, "report", case.id)
        if draft is not None:
            form = ReportForm(formdata=None)
            form.process(formdata=draft_formdata(form, draft.data))
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
                        "sections": under_headings(typed, headings),
                        "is_urgent": form.is_urgent.data,
                        "read_on": form.read_on.data,
                        "version": form.version.data,
                        "identity_revision": form.identity_revision.data,
                    },
                )
        else:
            form = stored_report_form(case, template)
        # A draft keeps the identity it was written beside; one drafted before the field
        # existed stands on the identity shown now.
        if not form.identity_revision.data:
            form.identity_revision.data = str(case.identity_revision)
        form.form_key.data = key
        form.template_id.data = str(template.id) if template else ""
        # A draft of a report signed or faxed meanwhile has no editor to go into: its text is
        # shown to read and copy, as after a refused save.
        unsaved = (
            [(s.heading.data or "", s.text.data or "") for s in form.sections]
            if draft is not None
            else None
        )
        if draft is None and case.report is not None and case.report.is_locked:
            # The addendum's is then the page's only form that autosaves, and a reload of it
            # comes back here with its key (drafts.js keeps it in ?draft=).
            addendum = resumed_addendum(case, requested)
            form.form_key.data = new_form_key()
            return render_screen(case, form, template, addendum_form=addendum, **side)
        return render_screen(case, form, template, unsaved=unsaved, **side)
    form = ReportForm()
    action = request.form.get("action", "save")
    form.signing = action
    # A submit goes straight to the service, which checks the case, its site and the template's
    # site inside the write transaction; the case is loaded here only to draw the page.
    if form.validate_on_submit():
        sign = {"preliminary": "preliminary", "definitive": "definitive"}.get(action, "")
        typed = [
            {"heading": s.heading.data or "", "text": s.text.data or ""} for s in form.sections
        ]
        try:
            save_report(
                case_id=case_id,
                user=g.user,
                sections=typed,
                template_id=row_id(form.template_id.data),
                is_urgent=bool(form.is_urgent.data),
                read_on=form.read_on.data or "",
                sign=sign,
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("reporting.screen", case_id=case_id),
                shown_version=shown_version(form.version),
                shown_identity=version_shown(form.identity_revision.data),
            )
        except CaseNotFound:
            abort(404)
        except (VersionConflict, SubmissionConflict) as exc:
            case = get_case_or_404(case_id, for_page=True)
            stored = case.report.sections if case.report else []
            reopen(form, exc, version=case.report.version if case.report else None)
            # The page drawn again names the patient as they are now, so sent again it stands.
            form.identity_revision.data = str(case.identity_revision)
            return render_screen(
                case,
                form,
                _posted_template(case, form),
                409,
                conflict=conflict_of(exc, section_differences(typed, stored)),
                unsaved=[(s["heading"], s["text"]) for s in typed],
            )
        except UrgentNotCalled as exc:
            # Beside the box, everything typed kept in the editor.
            form.is_urgent.errors = [*form.is_urgent.errors, refusal_text(exc)]
            case = get_case_or_404(case_id, for_page=True)
            return render_screen(case, form, _posted_template(case, form), 400)
        except (CaseError, StorageUnavailable) as exc:  # a ReportError: e.g. signed meanwhile
            flash(refusal_text(exc), "error")
            case = get_case_or_404(case_id, for_page=True)
            return render_screen(
                case,
                form,
                _posted_template(case, form),
                503 if write_was_refused() else 400,
                unsaved=[(s["heading"], s["text"]) for s in typed],
            )
        confirm_saved(form.form_key.data or "")
        messages = {
            "": _("Utkastet är sparat."),
            "preliminary": _("Utlåtandet är preliminärt signerat."),
            "definitive": _("Utlåtandet är definitivt signerat."),
        }
        flash(messages[sign], "success")
        # No flash for an urgent finding: the screen's call reminder says it, with the call,
        # at the top. Otherwise a signature lands on its next step, the fax to the referrer,
        # which on a portrait tablet is screens below the editor.
        to_fax = sign and not form.is_urgent.data
        return redirect(
            url_for("reporting.screen", case_id=case_id, _anchor="dispatch" if to_fax else None)
        )
    case = get_case_or_404(case_id, for_page=True)
    # Signed or faxed meanwhile, the page has no editor to hold the refused text: it is shown
    # to copy, as after a refusal by the service.
    typed_now = [(s.heading.data or "", s.text.data or "") for s in form.sections]
    return render_screen(case, form, _posted_template(case, form), 400, unsaved=typed_now)


def _posted_template(case: Case, form: ReportForm) -> ReportTemplate | None:
    """The template the refused editor was written in (its hidden field; empty: none), so the
    picker and the quick phrases drawn again match the headings sent back."""
    return pick_template(case, form.template_id.data or "")


@bp.route("/<int:case_id>/priority", methods=["POST"])
@roles("radiologist")
def priority(case_id: int) -> ResponseReturnValue:
    """Change the referral's priority (audited)."""
    case = get_case_or_404(case_id)
    form = PriorityForm().setup(g.site_config)
    if form.validate_on_submit():
        try:
            change_priority(
                case_id=case.id,
                user=g.user,
                priority=form.priority.data or "",
                reason=form.reason.data or "",
                # A post without it (no page of this app) goes by the stored version.
                shown_case_version=shown_version(form.case_version)
                if "case_version" in request.form
                else ANY_VERSION,
                sent=SentOnce(
                    form.form_key.data or "",
                    payload_hash(request.form),
                    url_for("reporting.screen", case_id=case.id),
                    has_draft=True,
                ),
            )
        except ContinuedElsewhere as exc:
            # Drawn with its choice inside the form, above its submit (older_copy_choice).
            flash(refusal_text(exc), "error")
        except VersionConflict as exc:
            # Beside the choice, what was chosen and typed kept; the page shows the version
            # saved now (the failed write expired the case), so sent again it is made.
            form.priority.errors = [*form.priority.errors, refusal_text(exc)]
            form.case_version.data = case.version
        except CodeGone as exc:
            # The screen again with the priorities as saved now; the reason typed stays.
            show_code_gone(form, exc)
        except ReportError as exc:
            # Beside the choice, the reason typed kept (a redirect dropped it): sent again after
            # a lost answer with another reason, it goes under a new key.
            form.priority.errors = [*form.priority.errors, refusal_text(exc)]
            form.form_key.data = new_form_key()
            form.case_version.data = case.version
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Prioriteten är ändrad."), "success")
            return redirect(return_to_screen(case.id))
    return redrawn_screen(case, priority_form=form)


@bp.route("/<int:case_id>/addendum", methods=["GET", "POST"])
@roles("radiologist")
def addendum(case_id: int) -> ResponseReturnValue:
    """Add a signed addendum to a definitive report; on GET, the screen continuing a draft."""
    if request.method == "GET":
        case = get_case_or_404(case_id, for_page=True)
        # An addendum typed on another tablet (or before a reload) continues here.
        form = resumed_addendum(case, request.args.get("draft", ""))
        template = pick_template(case, None)
        report_form = stored_report_form(case, template)
        report_form.form_key.data = new_form_key()
        return render_screen(case, report_form, template, addendum_form=form)
    case = get_case_or_404(case_id)
    form = AddendumForm()
    status = 400
    if form.validate_on_submit():
        try:
            add_addendum(
                case_id=case.id,
                user=g.user,
                text=form.text.data or "",
                is_urgent=bool(form.is_urgent.data),
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("reporting.screen", case_id=case.id),
                shown_addenda=version_shown(form.addenda_shown.data),
                shown_identity=version_shown(form.identity_revision.data),
            )
        except VersionConflict as exc:
            # Beside the text, which stays; the screen drawn now names the patient as they are
            # now, and signed again from it, the addendum is added.
            form.text.errors = [*form.text.errors, refusal_text(exc)]
            form.identity_revision.data = str(case.identity_revision)
            status = 409
        except AddendumSinceShown as exc:
            # Beside the text, which stays; the screen drawn now shows the colleague's addendum,
            # and signed again from it, this one is added.
            form.text.errors = [*form.text.errors, refusal_text(exc)]
            form.addenda_shown.data = str(len(case.report.addenda))
        except SubmissionConflict:
            # The first text was signed; what was typed since stays, and sent again it is signed
            # as another addendum under a new key (not refused again and again).
            form.text.errors = [*form.text.errors, _(ADDENDUM_SENT_BEFORE)]
            form.form_key.data = new_form_key()
        except CaseError as exc:  # a ReportError
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Tillägget är signerat."), "success")
            return redirect(url_for("reporting.screen", case_id=case.id))
    template = pick_template(case, None)
    report_form = stored_report_form(case, template)
    report_form.form_key.data = new_form_key()
    return render_screen(case, report_form, template, status, addendum_form=form)
