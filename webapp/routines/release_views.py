"""Release-of-images views: the request with its rules, the handover, the note, billing."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from printforms import render_disc_label, render_release_report

from ..access import CLINICAL, records, roles
from ..audit import log_list_read
from ..cases.errors import ContinuedElsewhere, SubmissionConflict
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..cases.submissions import payload_hash
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..incidents.queries import current_incident
from ..models import Case, ImageRelease
from ..offered_routines import offers_case_release, offers_releases
from ..printing.disc_label import (
    disc_label_content_version,
    disc_label_doc,
    disc_label_refusal,
    disc_label_sheet,
    disc_label_version,
    label_shows_earlier_identity,
)
from ..printing.release_sheet import (
    release_content_version,
    release_report_doc,
    release_report_refusal,
    release_report_sheet,
)
from ..printing.responses import flash_print_failed, pdf_response
from ..printing.services import Printed, PrintFailed, PrintPlan, plan_prints, print_pdf
from ..printing.versions import document_version
from . import bp
from .handover import LABEL_SHOWS_EARLIER_IDENTITY, Handover
from .not_offered import require_offered
from .queries import billing_releases, get_release_or_404, release_context, releases_for_case
from .refusals import Refusal
from .release_forms import HandoverForm, ReleaseForm, ReleaseReportForm
from .release_services import ReleaseRefused, hand_over, handover_needs_doctor, request_release
from .rules import (
    ReleaseRequest,
    case_refusals,
    channel_labels,
    media_hint,
    rule_summary,
    summary_values,
)
from .services import AlreadyDone, RoutineError, SentForm


def _attach(form: ReleaseForm | HandoverForm, refusals: tuple[Refusal, ...]) -> None:
    """Show each refused rule next to its field."""
    for r in refusals:
        target = form._fields.get(r.field)
        text = r.text(_) + (" " + r.advice(_) if r.instead else "")
        if target is not None:
            target.errors = [*target.errors, text]


def _render(
    case: Case, form: ReleaseForm, refusals: tuple[Refusal, ...] = (), status: int = 200
) -> ResponseReturnValue:
    # Every answer that shows the case is a read, a refused submit's included.
    record_view(case, g.user, "release_form_view")
    ctx = release_context(g.site_config)
    # Said when the page opens, not after the form is filled in: no choice can get round it.
    blocked = case_refusals(has_exam=case.exam is not None, is_cancelled=case.status == "cancelled")
    return render_template(
        "routines/release_new.html",
        case=case,
        form=form,
        refusals=blocked or refusals,
        blocked=bool(blocked),
        rules=rule_summary(),
        rule_values=summary_values(ctx),
        rc=g.site_config.routines.release,
        dropped=not g.site_config.routines.has_release,
        channel_labels=channel_labels(ctx, _),
        media_hint=media_hint(ctx, _),
        releases=releases_for_case(case.id),
        offers=offered_drafts("release", case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status


@bp.route("/releases/cases/<int:case_id>", methods=["GET", "POST"])
@roles(*CLINICAL)
def release_new(case_id: int) -> ResponseReturnValue:
    """Release a case's images: the routine's rules decide, a refusal says what to do instead."""
    case = get_case_or_404(case_id)
    # A case released before the routine was dropped keeps its page, with those releases; no
    # new one is made under rules the department no longer sets.
    routines = g.site_config.routines
    earlier = request.method == "GET" and offers_case_release(case.id, routines)
    require_offered(routines.has_release or earlier, "release")
    ctx = release_context(g.site_config)
    form = ReleaseForm().setup(ctx)
    if request.method == "GET":
        offered = ctx.offered_media()
        form.media_kind.data = "cd" if "cd" in offered else offered[0]
        # The form autosaves as a draft of the case: ?draft= continues it.
        resume_form(form, "release", case.id, g.user.site_id, request.args.get("draft", ""))
    if form.validate_on_submit():
        req = ReleaseRequest(
            recipient_kind=form.recipient_kind.data or "",
            channel=form.channel.data or "",
            recipient_name=form.recipient_name.data or "",
            media_kind=form.media_kind.data or "",
            delivery=form.delivery.data or "",
            is_urgent_care=bool(form.is_urgent_care.data),
            findings_positive=form.findings_positive.data or "",
            doctor_cleared_by=form.doctor_cleared_by.data or "",
            billing_recorded=bool(form.billing_recorded.data),
            recipient_not_on_iep=bool(form.recipient_not_on_iep.data),
        )
        try:
            result, awaits_pickup = request_release(
                case_id=case.id,
                user=g.user,
                incident=current_incident(),
                request=req,
                ctx=ctx,
                sent=SentForm(form.form_key.data or "", payload_hash(request.form)),
                url_for_release=lambda i: url_for("routines.release_show", release_id=i),
            )
        except ReleaseRefused as exc:
            _attach(form, exc.refusals)
            return _render(case, form, exc.refusals, 400)
        except SubmissionConflict as exc:
            # What was chosen stays; sent again, it is a release of its own under a new key.
            form.recipient_kind.errors = [*form.recipient_kind.errors, refusal_text(exc)]
            form.form_key.data = new_form_key()
        except (RoutineError, ContinuedElsewhere) as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            if result.replayed:
                flash(_("Utlämnandet var redan registrerat – inget dubblerades."), "success")
            elif awaits_pickup:
                flash(_("Utlämnandet är godkänt. Kontrollera ID när skivan lämnas ut."), "success")
            else:
                flash(
                    _("Utlämnandet är registrerat. Kopiera texten till remissanteckningen."),
                    "success",
                )
            return redirect(result.url)
    return _render(case, form, status=400 if form.errors else 200)


def _report_form(release: ImageRelease, formdata: object = None) -> ReleaseReportForm:
    """The recipient's report form, filled in with the recipient the release names."""
    form = ReleaseReportForm(
        formdata=formdata, needs_address=release.delivery == "post", prefix="svar"
    )
    if formdata is None:
        # The patient is the recipient when the release names no other.
        form.recipient_name.data = release.recipient_name or release.case.patient_name
    return form


def _render_release(
    release: ImageRelease,
    form: HandoverForm,
    refusals: tuple[Refusal, ...] = (),
    status: int = 200,
    report_form: ReleaseReportForm | None = None,
    report_ready: bool = False,
) -> ResponseReturnValue:
    record_view(release.case, g.user, "release_view")  # a refused handover's answer too
    return render_template(
        "routines/release_show.html",
        release=release,
        case=release.case,
        form=form,
        refusals=refusals,
        rc=g.site_config.routines.release,
        channel_labels=channel_labels(release_context(g.site_config), _),
        report_form=report_form or _report_form(release),
        report_refusal=release_report_refusal(release),
        has_disc_label=disc_label_refusal(release) is None,
        report_ready=report_ready,
        needs_doctor=release.status == "awaiting_pickup" and handover_needs_doctor(release),
        # Said before the handover is tapped: the disc at the desk names the earlier patient.
        label_stale=LABEL_SHOWS_EARLIER_IDENTITY
        if release.status == "awaiting_pickup" and label_shows_earlier_identity(release)
        else "",
    ), status


@bp.route("/releases/<int:release_id>")
@roles(*CLINICAL)
def release_show(release_id: int) -> ResponseReturnValue:
    """One release: the referral note to copy, and the handover when the media is collected."""
    return _render_release(get_release_or_404(release_id), HandoverForm())


@bp.route("/releases/<int:release_id>/handover", methods=["POST"])
@roles(*CLINICAL)
def release_handover(release_id: int) -> ResponseReturnValue:
    """The patient or a proxy collects the media; the IDs are checked."""
    release = get_release_or_404(release_id)
    form = HandoverForm()
    if form.validate_on_submit():
        try:
            hand_over(
                release_id=release.id,
                user=g.user,
                handover=Handover(
                    recipient_kind=release.recipient_kind,
                    patient_id_checked=bool(form.patient_id_checked.data),
                    proxy_name=form.proxy_name.data or "",
                    proxy_id_checked=bool(form.proxy_id_checked.data),
                    power_of_attorney=bool(form.power_of_attorney.data),
                    doctor_cleared_by=form.doctor_cleared_by.data or "",
                ),
                ctx=release_context(g.site_config),
            )
        except ReleaseRefused as exc:
            _attach(form, exc.refusals)
            return _render_release(release, form, exc.refusals, 400)
        except AlreadyDone as exc:
            flash(refusal_text(exc), "info")
            return redirect(url_for("routines.release_show", release_id=release.id))
        except RoutineError as exc:
            flash(refusal_text(exc), "error")
        else:
            flash(_("Utlämnat. Kopiera texten till remissanteckningen."), "success")
            return redirect(url_for("routines.release_show", release_id=release.id))
    return _render_release(release, form, status=400)


@bp.route("/releases/<int:release_id>/report", methods=["POST"])
@roles(*CLINICAL)
def release_report_check(release_id: int) -> ResponseReturnValue:
    """Check the recipient's details on the release's page; once they pass, it offers the PDF.

    The PDF opens in a new tab; a refusal sent there would leave the page the user is on
    showing nothing, so the details are checked here first, in the same tab.
    """
    release = get_release_or_404(release_id)
    refusal = release_report_refusal(release)
    if refusal is not None:
        flash(_(refusal), "error")
        return redirect(url_for("routines.release_show", release_id=release.id))
    form = _report_form(release, request.form)
    if request.form.get("change") == "1":
        return _render_release(release, HandoverForm(formdata=None), report_form=form)
    if not form.validate_on_submit():
        return _render_release(release, HandoverForm(formdata=None), status=400, report_form=form)
    return _render_release(
        release, HandoverForm(formdata=None), report_form=form, report_ready=True
    )


@bp.route("/releases/<int:release_id>/report.pdf", methods=["POST"])
@roles(*CLINICAL)
def release_report(release_id: int) -> ResponseReturnValue:
    """The report for the release's recipient (ny svarsmottagare), when the release includes it."""
    release = get_release_or_404(release_id)
    refusal = release_report_refusal(release)
    if refusal is not None:
        flash(_(refusal), "error")
        return redirect(url_for("routines.release_show", release_id=release.id))
    form = _report_form(release, request.form)
    if not form.validate_on_submit():
        return _render_release(release, HandoverForm(), status=400, report_form=form)
    case = release.case
    doc = release_report_doc(release)
    recipient = {
        "recipient_name": form.recipient_name.data or "",
        "recipient_address": form.recipient_address.data or "",
    }
    filename = f"{case.code}-utlatande-{release.id}.pdf"
    plan = plan_prints(
        user=g.user,
        case=case,
        incident_id=case.incident_id,
        documents=[(doc, document_version(case, "report"))],
        contents={doc: release_content_version(release, **recipient)},
    )

    def draw(plan: PrintPlan) -> bytes:
        data = release_report_sheet(release, g.site_config, plan.printed[doc], **recipient)
        return render_release_report(data)

    try:
        pdf = print_pdf(plan, draw)
    except PrintFailed:
        flash_print_failed()
        # What was typed stays: the recipient's form is shown again as it was sent.
        return _render_release(release, HandoverForm(), status=422, report_form=form)
    return pdf_response(pdf, filename)


@bp.route("/releases/<int:release_id>/label.pdf")
@roles(*CLINICAL)
@records
def release_disc_label(release_id: int) -> ResponseReturnValue:
    """The label of the release's disc (or USB stick's envelope), in a new tab."""
    release = get_release_or_404(release_id)
    refusal = disc_label_refusal(release)
    if refusal is not None:
        flash(_(refusal), "error")
        return redirect(url_for("routines.release_show", release_id=release.id))
    case = release.case
    doc = disc_label_doc(release)
    shown = disc_label_sheet(release, g.site_config, Printed())
    plan = plan_prints(
        user=g.user,
        case=case,
        incident_id=case.incident_id,
        documents=[(doc, disc_label_version(release))],
        contents={doc: disc_label_content_version(shown)},
    )

    def draw(plan: PrintPlan) -> bytes:
        return render_disc_label(disc_label_sheet(release, g.site_config, plan.printed[doc]))

    try:
        pdf = print_pdf(plan, draw)
    except PrintFailed:
        flash_print_failed()
        return redirect(url_for("routines.release_show", release_id=release.id))
    return pdf_response(pdf, f"{case.code}-skivetikett-{release.id}.pdf")


@bp.route("/releases/billing")
@roles("secretary", "admin")
def release_billing() -> ResponseReturnValue:
    """Releases for private use, for the billing record."""
    require_offered(offers_releases(g.user.site_id, g.site_config.routines), "release")
    listing = billing_releases(g.user.site_id, request.args.get("page", 1, type=int) or 1)
    releases = listing.rows
    # Each row names a patient: the read names the cases shown, as the other lists do.
    log_list_read("release_billing_view", codes=(r.case.code for r in releases), head="privat bruk")
    return render_template(
        "routines/billing.html",
        releases=releases,
        listing=listing,
        rc=g.site_config.routines.release,
        channel_labels=channel_labels(release_context(g.site_config), _),
    )
