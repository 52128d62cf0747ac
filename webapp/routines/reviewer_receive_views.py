"""Receiving the external reviewer's faxed report: linked to its case by the case code."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..arrival_rule import read_after_arrival
from ..audit import log_read
from ..cases.errors import ContinuedElsewhere, SubmissionConflict
from ..cases.submissions import payload_hash
from ..cases.versions import ANY_VERSION, ShownVersion
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..drafts.services import log_draft_read
from ..extensions import db
from ..formutil import confirm_saved, new_form_key, version_shown
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..incidents.queries import current_incident
from ..models import Case, utcnow
from ..offered_routines import offers_reviewer
from ..reporting.over_draft import DRAFT_WARNING, DraftInTheWay, typed_draft
from ..reporting.over_keyed import (
    KEYED_SINCE,
    KeyedSinceShown,
    ReportShown,
    keyed_since,
    keyed_values,
)
from ..reporting.services import FAX_ENTRY_ROLES, ReportError, UrgentNotCalled
from ..row_ids import row_id
from . import bp
from .forms import ReceiveReportForm
from .not_offered import require_offered
from .queries import case_for_code
from .reviewer_answer_services import (
    IdentitySinceShown,
    NoReportEntered,
    NotFaxedUnconfirmed,
    Transcription,
    has_signed_report,
    receive_report,
    was_faxed_to_reviewer,
)
from .services import FieldRefused, RoutineError, SentForm

TEXT_BY_OTHERS = (
    "Utlåtandets text förs in av radiolog eller sekreterare. Låt en av dem skicka formuläret; "
    "texten finns kvar som utkast."
)


def _drawn(form: ReceiveReportForm, case: Case) -> ShownVersion:
    """The version of the case's report the form was drawn against (None: none of its)."""
    drawn_case, _sep, version = (form.report_version.data or "").partition(":")
    return version_shown(version) if drawn_case == str(case.id) else None


def _draw(form: ReceiveReportForm, case: Case) -> None:
    # The form opens before its case is known: it is drawn when the case's patient is first
    # shown to confirm, and kept through refusals and in the draft, so a report keyed in
    # meanwhile is one its keyer has not seen until the tick says so. Drawn again for another
    # case (the code corrected), or for a draft saved before drafts carried it.
    if (form.report_version.data or "").partition(":")[0] != str(case.id):
        form.report_version.data = f"{case.id}:{case.report.version if case.report else ''}"


@bp.route("/reviewer/receive", methods=["GET", "POST"])
@roles(*CLINICAL)
def reviewer_receive() -> ResponseReturnValue:
    """An anonymised report came back by fax: link it to its case by the case code."""
    routines = g.site_config.routines
    require_offered(offers_reviewer(g.user.site_id, routines), "reviewer")
    form = ReceiveReportForm()
    can_transcribe = g.user.role in FAX_ENTRY_ROLES
    if request.method == "GET":
        form.case_code.data = request.args.get("code", "")
        form.received_at.data = utcnow()
        draft = resume_form(
            form, "reviewer_report", None, g.user.site_id, request.args.get("draft", "")
        )
        if draft is not None:
            # The draft fills the form with the report typed for its case: a read.
            log_draft_read(draft, g.user)
    typed_text = bool(form.findings.data or form.conclusion.data)
    confirming = None
    valid = form.validate_on_submit() and form.found_case is not None
    # Once the routine is dropped, only the answer to a case faxed before is logged here: the
    # form's code check refuses another case beside the code (a found case is offered).
    if valid and not form.is_confirmed:
        # A code typed from paper names a case: its patient is shown to be confirmed before
        # anything is recorded, as the blank attached to a case is (a read).
        confirming = form.found_case
        assert confirming is not None
        form.confirmed_code.data = confirming.code
        form.confirmed_identity.data = str(confirming.identity_revision)
        form.confirm_unfaxed.data = False
        _draw(form, confirming)
        log_read("reviewer_receive_confirm_view", case=confirming)
    elif valid and form.found_case is not None:
        confirming = form.found_case
        transcription = None
        if can_transcribe and form.has_text:
            transcription = Transcription(
                state=form.state.data or "",
                findings=form.findings.data or "",
                conclusion=form.conclusion.data or "",
                is_urgent=bool(form.is_urgent.data),
                replaces_draft=row_id(form.draft_version.data) if form.replace_draft.data else None,
                # A post without it (no page of this app) goes by the stored version.
                report_shown=ReportShown(
                    _drawn(form, confirming) if "report_version" in request.form else ANY_VERSION,
                    row_id(form.report_confirmed.data) if form.replace_report.data else None,
                ),
            )
        url = url_for("routines.reviewer_case", case_id=form.found_case.id)
        read_after_arrival(form.found_case, form.received_at)
        try:
            if typed_text and not can_transcribe:
                # A draft a secretary typed the text into: sent from here it would be dropped.
                raise RoutineError(TEXT_BY_OTHERS)
            stored = receive_report(
                case_id=form.found_case.id,
                user=g.user,
                received_at=form.received_at.data,
                reviewer_name=form.reviewer_name.data or "",
                forwarded_to_referrer=bool(form.forwarded.data),
                transcription=transcription,
                unfaxed_confirmed=bool(form.confirm_unfaxed.data),
                shown_identity=version_shown(form.confirmed_identity.data),
                sent=SentForm(form.form_key.data or "", payload_hash(request.form), url),
            )
        except SubmissionConflict as exc:
            # The text stays on the form; sent again, it goes under a new key.
            form.case_code.errors = [*form.case_code.errors, refusal_text(exc)]
            form.form_key.data = new_form_key()
        except NotFaxedUnconfirmed as exc:
            form.confirm_unfaxed.errors = [*form.confirm_unfaxed.errors, refusal_text(exc)]
        except FieldRefused as exc:
            form[exc.field].errors = [*form[exc.field].errors, refusal_text(exc)]
        except DraftInTheWay as exc:
            form.replace_draft.errors = [*form.replace_draft.errors, refusal_text(exc)]
        except KeyedSinceShown as exc:
            # Beside its tick; the page names the report there now.
            form.replace_report.errors = [*form.replace_report.errors, refusal_text(exc)]
        except NoReportEntered as exc:
            form.forwarded.errors = [*form.forwarded.errors, refusal_text(exc)]
        except IdentitySinceShown as exc:
            # The page drawn with the refusal shows the patient as now: sent again, once a
            # new copy is faxed, the copy covers them.
            form.forwarded.errors = [*form.forwarded.errors, refusal_text(exc)]
            form.confirmed_identity.data = str(form.found_case.identity_revision)
        except ContinuedElsewhere as exc:
            flash(refusal_text(exc), "error")
        except UrgentNotCalled as exc:
            form.is_urgent.errors = [*form.is_urgent.errors, refusal_text(exc)]
        except (RoutineError, ReportError) as exc:
            field = form.findings if str(exc) == TEXT_BY_OTHERS else form.case_code
            field.errors = [*field.errors, refusal_text(exc)]
        else:
            confirm_saved(form.form_key.data or "")
            flash(
                _("Utlåtandet är mottaget och ligger hos RIS-administratören.")
                if stored
                else _("Svaret var redan registrerat – inget dubblerades."),
                "success",
            )
            return redirect(url)
    status = 400 if form.errors else 200
    # The text typed here takes the place of a radiologist's unsigned draft: said beside the
    # patient to confirm, with the tick (one given for another version is asked again).
    over = typed_draft(confirming.report) if confirming and can_transcribe and typed_text else None
    if form.draft_version.data != (str(over.version) if over else ""):
        form.draft_version.data = str(over.version) if over else ""
        form.replace_draft.data = False
    # A preliminary keyed in from another tablet since the patient was confirmed, likewise.
    unseen = (
        keyed_since(confirming.report, _drawn(form, confirming))
        if confirming and can_transcribe and typed_text
        else None
    )
    if form.report_confirmed.data != (str(unseen.version) if unseen else ""):
        form.report_confirmed.data = str(unseen.version) if unseen else ""
        form.replace_report.data = False
    incident = current_incident()
    # Known from the code: the instruction to print the identified report links to it.
    case = form.found_case or case_for_code(g.user.site_id, form.case_code.data or "")
    return render_template(
        "routines/receive.html",
        form=form,
        can_transcribe=can_transcribe,
        # Text typed by someone who may enter it stays in sight of whoever continues the draft.
        shows_text=can_transcribe or typed_text,
        incident_id=incident.id if incident else None,
        case=case,
        # Said beside the tick before sending: without a signed report, and with no text this
        # user may enter to sign one, the copy to the referrer would be refused.
        copy_needs_report=case is not None
        and not can_transcribe
        and not has_signed_report(db.session(), case.id),
        offers=offered_drafts("reviewer_report", None, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
        confirming=confirming,
        unfaxed=confirming is not None and not was_faxed_to_reviewer(db.session(), confirming.id),
        over_draft=over,
        over_draft_warning=DRAFT_WARNING["fax"],
        over_keyed=keyed_values(unseen) if unseen else None,
        over_keyed_warning=KEYED_SINCE,
    ), status
