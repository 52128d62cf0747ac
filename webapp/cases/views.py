"""Case views: a new referral, a referral edited, an exam documented (HTTP only)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..audit import log_list_read
from ..draft_versions import offered_drafts
from ..drafts.queries import (
    draft_formdata,
    draft_to_continue,
    typed_patient,
    unsent_referrals,
)
from ..formutil import confirm_saved, new_form_key, version_shown
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..models import utcnow
from ..protocol_rule import protocol_of
from ..storage_errors import StorageUnavailable, write_was_refused
from . import bp
from .arrival_edit import ArrivalAfterEvent
from .conflicts import (
    NEW_REFERRAL_SAVED_BEFORE,
    Conflict,
    conflict_of,
    field_differences,
    reopen,
)
from .contrast import case_contrast_unanswered
from .errors import (
    ArrivalBeforeIncident,
    ArrivalImplausible,
    CaseError,
    CaseNotFound,
    CodeGone,
    DosesImplausible,
    ExamStartTooEarly,
    ExamTooLong,
    FormIncidentEnded,
    NamesakeFound,
    NoOpenIncident,
    SideDiffers,
    SubmissionConflict,
    VersionConflict,
)
from .exam_forms import ExamForm
from .exam_names import show_current_name
from .exam_services import document_exam
from .formdata import (
    EXAM_FIELDS,
    REFERRAL_FIELDS,
    ask_about_arrival,
    catalogue_data,
    form_values,
    lab_form_data,
    modality_flags,
    prefill_referral_side,
    referral_form_incident,
    refused_after_end,
    show_beside,
    show_code_gone,
    show_side_differs,
    submit_referral,
)
from .forms import (
    ReferralEditForm,
    ReferralForm,
    shown_version,
)
from .laterality import asks_side, needs_side
from .mr_safety import MR_FIELDS
from .pregnancy import case_pregnancy_unanswered
from .queries import get_case_or_404
from .safety_risks import case_safety_risks
from .services import log_namesakes_shown, record_view, update_referral
from .submissions import payload_hash


def _declare_first() -> ResponseReturnValue:
    flash(_("Registrera eller välj ett pågående driftstopp först."), "error")
    return redirect(url_for("incidents.declare"))


@bp.route("/new", methods=["GET", "POST"])
@roles(*CLINICAL)
def new() -> ResponseReturnValue:
    """Capture an emergency referral; this opens a new case."""
    form = ReferralForm().setup(g.site_config)
    # A submit goes straight to the service, which finds the tablet's current incident inside
    # the write transaction; the incident is loaded here only to draw the page.
    conflict = None
    if form.validate_on_submit():
        try:
            result = submit_referral(form, None)
        except NoOpenIncident:
            return _declare_first()
        except SubmissionConflict as exc:
            # The form was saved before (Back, then the next patient typed over it): keep the
            # input under a fresh key, so the next Spara opens a new case.
            conflict = Conflict(NEW_REFERRAL_SAVED_BEFORE, saved_url=exc.url)
            form.form_key.data = new_form_key()
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
        except CaseError as exc:
            flash(refusal_text(exc), "error")
        except StorageUnavailable as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            if result.replayed:
                flash(_("Remissen var redan sparad – inget dubblerades."), "info")
            else:
                flash(_("Remissen är sparad."), "success")
            return redirect(result.url)
    incident = referral_form_incident(form)
    if incident is None:
        return _declare_first()
    draft = None
    if request.method == "GET":
        draft, key = draft_to_continue(
            request.args.get("draft", ""), g.user.site_id, "referral", None
        )
        if draft is not None:
            form = ReferralForm(formdata=None)
            form.process(formdata=draft_formdata(form, draft.data))
            form.setup(g.site_config)
            show_current_name(form, g.site_config)
        else:
            form.arrived_at.data = utcnow()
            form.arrived_via.data = "fax"
            form.priority.data = g.site_config.priorities[0].code
        form.form_key.data = key
        form.incident_id.data = str(incident.id)
    # The form lists open drafts by patient name, and a draft fills it: a read, on a refused
    # submit's page too. Each patient listed is named, as the drafts list names them, so their
    # extract holds this look too.
    drafts = unsent_referrals(g.user.site_id, form.form_key.data or "")
    log_namesakes_shown(form.namesakes_found, incident.id)
    log_list_read(
        "referral_form_view",
        codes=(),
        patients=[d.typed_patient for d in drafts],
        incident_id=incident.id,
        patient_ref=typed_patient(draft) if draft is not None else "",
    )
    status = 503 if write_was_refused() else 409 if conflict else 400 if form.errors else 200
    return render_template(
        "cases/referral_form.html",
        form=form,
        conflict=conflict,
        incident=incident,
        case=None,
        catalogue=catalogue_data(),
        modalities=modality_flags(),
        needs=form.needs(),
        drafts=drafts,
    ), status


@bp.route("/<int:case_id>/referral", methods=["GET", "POST"])
@roles(*CLINICAL)
def edit_referral(case_id: int) -> ResponseReturnValue:
    """Edit a saved referral (versioned); the identity is changed on its own page."""
    case = get_case_or_404(case_id)
    if request.method == "GET":
        draft, key = draft_to_continue(
            request.args.get("draft", ""), g.user.site_id, "referral_edit", case.id
        )
        if draft is not None:
            # The draft keeps the versions its form showed: a save after someone else's is
            # refused as a conflict, never applied over the newer version.
            form = ReferralEditForm(formdata=None)
            form.process(formdata=draft_formdata(form, draft.data))
            form.setup_for(g.site_config, case)
        else:
            data = {name: lab_form_data(case.referral, name) for name in REFERRAL_FIELDS}
            data.update(
                priority=case.priority,
                modality=case.modality,
                version=case.referral.version,
                case_version=case.version,
            )
            form = ReferralEditForm(data=data, formdata=None).setup_for(g.site_config, case)
        show_current_name(form, g.site_config)
        form.form_key.data = key
    else:
        form = ReferralEditForm().setup_for(g.site_config, case)
    conflict = None
    if form.validate_on_submit():
        try:
            result = update_referral(
                case_id=case.id,
                user=g.user,
                priority=form.priority.data or "",
                modality=form.modality.data or "",
                referral=form_values(form, REFERRAL_FIELDS),
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case.id),
                shown_version=shown_version(form.version),
                shown_case_version=shown_version(form.case_version),
                arrival_confirmed=form.arrival_confirmed_now,
            )
        except (VersionConflict, SubmissionConflict) as exc:
            # The failed write expired the case: what is read now is what is stored.
            conflict = conflict_of(
                exc,
                field_differences(form, case.referral, REFERRAL_FIELDS)
                + field_differences(form, case, ("priority", "modality")),
            )
            reopen(form, exc, version=case.referral.version)
            form.case_version.data = case.version
        except CodeGone as exc:
            show_code_gone(form, exc)
        except ArrivalBeforeIncident as exc:
            ask_about_arrival(form, exc)
        except (ArrivalAfterEvent, ArrivalImplausible) as exc:
            show_beside(form.arrived_at, exc)
        except CaseError as exc:
            flash(refusal_text(exc), "error")
        except StorageUnavailable as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            if result.replayed:
                flash(_("Ändringen var redan sparad – inget dubblerades."), "success")
            else:
                flash(
                    _("Ändringen är sparad.") if result.changes else _("Inget ändrades."), "success"
                )
            return redirect(url_for("cases.show", case_id=case.id))
    record_view(case, g.user)  # the form beside the case, after a refused submit too
    status = 503 if write_was_refused() else 409 if conflict else 400 if form.errors else 200
    return render_template(
        "cases/referral_form.html",
        form=form,
        conflict=conflict,
        incident=case.incident,
        case=case,
        catalogue=catalogue_data(),
        modalities=modality_flags(),
        needs=form.needs(),
        drafts=[],
        offers=offered_drafts("referral_edit", case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status


@bp.route("/<int:case_id>/exam", methods=["GET", "POST"])
@roles(*CLINICAL)
def exam(case_id: int) -> ResponseReturnValue:
    """Document the exam (dokumentationsblankett)."""
    form = ExamForm().setup(g.site_config)
    # A submit goes straight to the service, which checks the case and its site inside the
    # write transaction; the case is loaded here only to draw the page.
    refused: CaseError | None = None
    if form.validate_on_submit():
        try:
            result = document_exam(
                case_id=case_id,
                user=g.user,
                values={
                    **form_values(form, EXAM_FIELDS),
                    **form.side_values(),
                    **form.dose_values(),
                },
                form_key=form.form_key.data or "",
                digest=payload_hash(request.form),
                url=url_for("cases.show", case_id=case_id),
                shown_version=shown_version(form.version),
                mr_answers=form.mr_answers(),
                shown_referral_version=shown_version(form.referral_version),
                shown_referral_side=form.referral_side.data or "",
                shown_identity=version_shown(form.identity_revision.data),
            )
        except CaseNotFound:
            abort(404)
        except (VersionConflict, SubmissionConflict) as exc:
            refused = exc
        except CodeGone as exc:
            show_code_gone(form, exc)
        except SideDiffers as exc:
            show_side_differs(form, exc)
        except ExamTooLong as exc:
            show_beside(form.ended_at, exc)
        except ExamStartTooEarly as exc:
            show_beside(form.started_at, exc)
        except DosesImplausible as exc:
            show_beside(form.dlp_mgycm, exc)
        except CaseError as exc:
            flash(refusal_text(exc), "error")
        except StorageUnavailable as exc:
            flash(refusal_text(exc), "error")
        else:
            confirm_saved(form.form_key.data or "")
            flash(
                _("Dokumentationen var redan sparad – inget dubblerades.")
                if result.replayed
                else _("Dokumentationen är sparad."),
                "success",
            )
            return redirect(result.url)
    case = get_case_or_404(case_id)
    if request.method == "GET":
        draft, key = draft_to_continue(
            request.args.get("draft", ""), g.user.site_id, "exam", case.id
        )
        if draft is not None:
            form = ExamForm(formdata=None)
            form.process(formdata=draft_formdata(form, draft.data))
            form.setup(g.site_config)
        elif case.exam is not None:
            form = ExamForm(obj=case.exam, formdata=None).setup(g.site_config)
        else:
            form.modality.data = case.modality
            form.exam_text.data = case.referral.exam_text if case.referral else ""
            form.exam_code.data = case.referral.exam_code if case.referral else ""
            form.side.data = case.referral.side if case.referral else ""
            form.radiographers.data = g.user.display_name
        show_current_name(form, g.site_config)
        if draft is None:
            # The MR safety facts as the referral has them; an MR exam asks for those missing.
            for name in MR_FIELDS:
                form[name].data = getattr(case.referral, name, "") if case.referral else ""
            form.referral_version.data = case.referral.version if case.referral else None
            prefill_referral_side(form, case)
        # A draft keeps the identity it was typed beside; one drafted before the field existed
        # stands on the identity shown now.
        if not form.identity_revision.data:
            form.identity_revision.data = str(case.identity_revision)
        form.form_key.data = key
    record_view(case, g.user)  # the patient beside the form, after a refused submit too
    conflict = None
    if refused is not None:
        conflict = conflict_of(
            refused,
            field_differences(form, case.exam, EXAM_FIELDS)
            + field_differences(form, case.referral, MR_FIELDS),
        )
        reopen(form, refused, version=case.exam.version if case.exam else None)
        form.referral_version.data = case.referral.version if case.referral else None
        # The page drawn again names the patient as they are now, so sent again it stands.
        form.identity_revision.data = str(case.identity_revision)
    status = 503 if write_was_refused() else 409 if conflict else 400 if form.errors else 200
    return render_template(
        "cases/exam_form.html",
        form=form,
        conflict=conflict,
        case=case,
        catalogue=catalogue_data(),
        modalities=modality_flags(),
        needs_mr=form.needs_mr(),
        safety_risks=case_safety_risks(case, g.site_config),
        # As the case page says them: the radiographer documents here, at the modality.
        pregnancy_unanswered=case_pregnancy_unanswered(case, g.site_config),
        contrast_unanswered=case_contrast_unanswered(case, g.site_config),
        protocol=protocol_of(case),
        needs_side=needs_side(g.site_config, form.exam_code.data or ""),
        form_asks_side=asks_side(g.site_config, form.exam_code.data or ""),
        offers=offered_drafts("exam", case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), status
