"""Binder views: reserve and print blanks, list and void codes, open a filled blank."""

from __future__ import annotations

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, records, roles
from ..audit import log_read
from ..cases.errors import (
    ArrivalBeforeIncident,
    ArrivalImplausible,
    CaseError,
    CodeGone,
    FormIncidentEnded,
    NamesakeFound,
    SubmissionConflict,
)
from ..cases.exam_names import show_current_name
from ..cases.formdata import (
    ask_about_arrival,
    catalogue_data,
    modality_flags,
    referral_form_incident,
    refused_after_end,
    show_beside,
    show_code_gone,
    submit_referral,
)
from ..cases.forms import ReferralForm
from ..cases.services import log_namesakes_shown
from ..cases.submissions import SentOnce, SubmitResult, item_form_key, payload_hash
from ..draft_kinds import sheet_code
from ..draft_versions import offered_drafts
from ..drafts.queries import draft_formdata, draft_to_continue, typed_patient
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..models import utcnow
from ..printing.list_sheets import blank_stack_pdf
from ..printing.responses import flash_print_failed
from ..printing.routine_length import long_routines
from ..printing.routines import current_config, last_binder_print, routines_changed
from ..printing.services import PrintFailed
from ..web import tablet_url
from . import bp
from .forms import ReserveForm, VoidForm
from .kinds import BLANK_KIND_NAMES
from .queries import all_codes, batch_codes, reserved_code, unused_codes
from .services import BlankError, reserve_codes_once, void_code


def _render_index(
    form: ReserveForm,
    status: int = 200,
    void_form: VoidForm | None = None,
    void_code: str = "",
) -> ResponseReturnValue:
    """The binder page; void_form is a refused void of void_code, shown beside that code."""
    # The batch just reserved (the redirect after it names its first code), to print.
    batch_code = request.args.get("batch", "")
    batch = batch_codes(g.user.site_id, batch_code) if batch_code else None
    if not form.form_key.data:
        form.form_key.data = new_form_key()
    void_form = void_form or VoidForm(formdata=None)
    if not void_form.form_key.data:
        # One key for the page's void forms: each code is voided under a key of its own.
        void_form.form_key.data = new_form_key()
    config, version = current_config(g.user.site_id)
    routine_print = last_binder_print(g.user.site_id)
    unused = unused_codes(g.user.site_id)
    listing = all_codes(g.user.site_id, _page_asked())
    return render_template(
        "blanks/index.html",
        routine_print=routine_print,
        routines_changed=routines_changed(config, routine_print),
        long_routines=long_routines(
            config, version, printed_by=g.user.display_name, address=tablet_url()
        ),
        scenarios=[(key, s.name) for key, s in config.scenarios.items()],
        form=form,
        void_form=void_form,
        void_code=void_code,
        unused=unused,
        # Reprints are offered per kind only when it has unused codes to print.
        unused_kinds={r.doc_kind for r in unused},
        kind_names=BLANK_KIND_NAMES,
        codes=listing.rows,
        listing=listing,
        batch=batch,
        batch_code=batch_code,
    ), status


def _page_asked() -> int:
    """The page of the code list a link asked for; a typed one past the end is read as the last
    (all_codes bounds it)."""
    return request.args.get("page", 1, type=int) or 1


def _index_url() -> str:
    """The binder page on the page of codes the request came from: a void on a later page
    returns there, where its code is."""
    page = _page_asked()
    return url_for("blanks.index", page=page) if page > 1 else url_for("blanks.index")


@bp.route("/")
@roles("admin")
def index() -> ResponseReturnValue:
    """The binder: reserve and print blanks; unused codes listed for voiding."""
    return _render_index(ReserveForm())


@bp.route("/reserve", methods=["POST"])
@roles("admin")
def reserve() -> ResponseReturnValue:
    """Reserve N codes; the binder page then offers their sheets as one PDF.

    The form posts to the tab it is on, so a refusal is said beside its field there; the PDF
    opens from the link the page then shows.
    """
    form = ReserveForm()
    if not form.validate_on_submit():
        return _render_index(form, 400)
    try:
        reserved = reserve_codes_once(
            user=g.user,
            count=form.count.data or 0,
            doc_kind=form.doc_kind.data or "",
            batch_label=form.batch_label.data or "",
            form_key=form.form_key.data or "",
            digest=payload_hash(request.form),
            url_for_batch=lambda code: url_for("blanks.index", batch=code),
        )
    except SubmissionConflict:
        # What was typed stays; sent again, it is a batch of its own under a new key.
        form.count.errors = [
            _(
                "Formuläret har redan skickats med andra uppgifter, och de koderna är "
                "reserverade. Reservera igen bara om en omgång till behövs."
            )
        ]
        form.form_key.data = new_form_key()
        return _render_index(form, 409)
    except BlankError as exc:
        flash(refusal_text(exc), "error")
        return _render_index(form, 400)
    if isinstance(reserved, SubmitResult):
        flash(_("Koderna var redan reserverade – inga fler reserverades."), "info")
        return redirect(reserved.url)
    return redirect(url_for("blanks.index", batch=reserved[0]))


@bp.route("/<code>/batch.pdf")
@roles("admin")
@records
def batch_pdf(code: str) -> ResponseReturnValue:
    """The sheets of the batch reserved with this code, those still unused, as one PDF."""
    batch = batch_codes(g.user.site_id, code)
    if batch is None:
        abort(404)
    if not batch:
        flash(_("Inga oanvända koder kvar i den omgången."), "info")
        return redirect(url_for("blanks.index"))
    try:
        pdf = blank_stack_pdf([r.code for r in batch], batch[0].doc_kind, g.site_config, g.user)
    except PrintFailed:
        # The codes stay reserved: they are listed as unused, to print or void.
        flash_print_failed()
        return redirect(url_for("blanks.index", batch=code))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="blanketter-{batch[0].code}.pdf"'},
    )


@bp.route("/unused.pdf")
@roles("admin")
@records
def reprint_unused() -> ResponseReturnValue:
    """Reprint the binder's unused sheets (same codes, so they never collide)."""
    by_kind: dict[str, list[str]] = {}
    for r in unused_codes(g.user.site_id):
        by_kind.setdefault(r.doc_kind, []).append(r.code)
    kind = request.args.get("kind", "BLR")
    codes = by_kind.get(kind, [])
    if not codes:
        flash(_("Inga oanvända koder av den sorten."), "info")
        return redirect(url_for("blanks.index"))
    try:
        pdf = blank_stack_pdf(codes, kind, g.site_config, g.user, reprint=True)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("blanks.index"))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": 'inline; filename="blanketter-kopia.pdf"'},
    )


@bp.route("/<code>/void", methods=["POST"])
@roles("admin")
def void(code: str) -> ResponseReturnValue:
    """Void an unused binder code."""
    form = VoidForm()
    if form.validate_on_submit():
        try:
            void_code(
                user=g.user,
                code=code,
                reason=form.reason.data or "",
                sent=SentOnce(
                    item_form_key(form.form_key.data or "", code),
                    payload_hash(request.form),
                    _index_url(),
                ),
            )
        except BlankError as exc:
            flash(refusal_text(exc), "error")
        else:
            flash(_("Koden %(code)s är makulerad.", code=code), "success")
    else:
        # The reason typed stays, and why it was refused goes beside that code's field.
        return _render_index(ReserveForm(formdata=None), 400, void_form=form, void_code=code)
    return redirect(_index_url())


@bp.route("/<code>/open", methods=["GET", "POST"])
@roles(*CLINICAL)
def open_blank(code: str) -> ResponseReturnValue:
    """Type in a filled-in blank sheet: opens a new case under its reserved code."""
    reserved = reserved_code(g.user.site_id, code)
    if reserved is None:
        abort(404)
    # A submit goes on to the service, which refuses a code used or voided since the form was
    # opened with the text kept: the sheet in hand may be another patient's (a reprint's twin).
    if reserved.used_case_id is not None and request.method == "GET":
        flash(_("Blanketten är redan införd."), "info")
        return redirect(url_for("cases.show", case_id=reserved.used_case_id))
    if reserved.voided_at is not None and request.method == "GET":
        flash(
            _(
                "Koden %(code)s är makulerad (%(reason)s) och kan inte användas.",
                code=reserved.code,
                reason=reserved.void_reason or "–",
            ),
            "error",
        )
        # Only secretaries and admins have the scan station; others would meet a refusal there.
        back = "catchup.scan" if g.user.role in ("secretary", "admin") else "main.index"
        return redirect(url_for(back))
    form = ReferralForm().setup(g.site_config)
    incident = referral_form_incident(form)
    if incident is None:
        flash(_("Registrera eller välj driftstoppet som blanketten hör till först."), "error")
        return redirect(url_for("incidents.index"))
    if request.method == "GET":
        draft, key = draft_to_continue(
            request.args.get("draft", ""), g.user.site_id, "blank_referral", None
        )
        # A draft typed from another sheet is not this one's: this sheet starts empty.
        if draft is not None and sheet_code(draft.kind, draft.data) != code:
            draft, key = None, new_form_key()
        if draft is not None:
            form = ReferralForm(formdata=None)
            form.process(formdata=draft_formdata(form, draft.data))
            form.setup(g.site_config)
            show_current_name(form, g.site_config)
            # The draft fills the form with the patient typed into it: a read.
            log_read(
                "referral_form_view", incident_id=incident.id, patient_ref=typed_patient(draft)
            )
        else:
            form.arrived_at.data = utcnow()
            form.arrived_via.data = "paper"
            form.priority.data = g.site_config.priorities[0].code
        form.form_key.data = key
        form.incident_id.data = str(incident.id)
    refused = False
    if form.validate_on_submit():
        try:
            result = submit_referral(form, incident, code=code)
        except CodeGone as exc:
            show_code_gone(form, exc)
        except NamesakeFound as exc:
            # Saved by another tablet since the form's own check: asked as that would have.
            form.ask_namesakes(exc.found)
        except ArrivalBeforeIncident as exc:
            ask_about_arrival(form, exc)
        except ArrivalImplausible as exc:
            show_beside(form.arrived_at, exc)
        except FormIncidentEnded as exc:
            flash(refused_after_end(form, exc), "error")
            # Drawn in the incident the form now names: the running one, if it was moved.
            incident = referral_form_incident(form) or incident
        except CaseError as exc:
            flash(refusal_text(exc), "error")
            refused = True
        else:
            confirm_saved(form.form_key.data or "")
            flash(_("Blanketten är införd som ärende %(code)s.", code=code), "success")
            return redirect(result.url)
    status = 400 if form.errors or refused else 200
    log_namesakes_shown(form.namesakes_found, incident.id)
    return render_template(
        "cases/referral_form.html",
        form=form,
        incident=incident,
        case=None,
        catalogue=catalogue_data(),
        modalities=modality_flags(),
        needs=form.needs(),
        drafts=[],
        blank_code=code,
        # Scanning the same sheet on another tablet finds what was typed from it.
        offers=offered_drafts(
            "blank_referral", None, g.user.site_id, form.form_key.data or "", sheet=code
        ),
        offer_form=ConfirmForm(),
    ), status
