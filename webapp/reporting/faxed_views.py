"""Keying in a report written elsewhere: one that arrived by fax, or one the radiologist wrote
on the paper report template. HTTP only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from wtforms import Field

from ..access import roles
from ..arrival_rule import read_after_arrival
from ..cases.errors import CaseError, ContinuedElsewhere, SubmissionConflict, VersionConflict
from ..cases.queries import get_case_or_404
from ..cases.services import record_view
from ..cases.submissions import payload_hash
from ..cases.versions import ANY_VERSION, ShownVersion
from ..draft_versions import offered_drafts
from ..drafts.queries import resume_form
from ..formutil import confirm_saved, new_form_key, version_shown
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.forms import ConfirmForm
from ..models import Case, utcnow
from ..row_ids import row_id
from . import bp
from .faxed import NOT_A_RADIOLOGIST, BeforeArrival, FaxedOn, enter_faxed_report, report_refusal
from .keyed_forms import FaxReportForm, PaperReportForm
from .over_draft import DRAFT_WARNING, DraftInTheWay, typed_draft
from .over_keyed import KEYED_SINCE, KeyedSinceShown, ReportShown, keyed_since, keyed_values
from .queries import site_radiologists
from .services import UrgentNotCalled

FAX_DRAFT_KIND = "fax_report"
PAPER_DRAFT_KIND = "paper_report"
Form = FaxReportForm | PaperReportForm


def _sections(form: Form) -> list[dict[str, str]]:
    return [
        {"heading": "Fynd", "text": form.findings.data or ""},
        {"heading": "Bedömning", "text": form.conclusion.data or ""},
    ]


def _entered(
    case: Case,
    form: Form,
    messages: tuple[str, str],
    field_for: Callable[[str], Field],
    time_fields: dict[str, Field],
    **source: Any,
) -> ResponseReturnValue | None:
    """Enter the report (source: what the form's kind adds to the text); the redirect to its
    case, or None with the refusal on the form. time_fields: the form's field for each time
    the service names in a BeforeArrival."""
    try:
        entered = enter_faxed_report(
            case_id=case.id,
            user=g.user,
            author_name=form.author_name.data or "",
            sections=_sections(form),
            state=form.state.data or "",
            is_urgent=bool(form.is_urgent.data),
            form_key=form.form_key.data or "",
            digest=payload_hash(request.form),
            url=url_for("cases.show", case_id=case.id),
            # The tick counts for the draft as the page showed it, not one saved since.
            replaces_draft=row_id(form.draft_version.data) if form.replace_draft.data else None,
            report_shown=ReportShown(
                _drawn(form),
                row_id(form.report_confirmed.data) if form.replace_report.data else None,
            ),
            shown_identity=version_shown(form.identity_revision.data),
            **source,
        )
    except SubmissionConflict as exc:
        # The text stays on the form; sent again, it goes under a new key.
        form.state.errors = [*form.state.errors, refusal_text(exc)]
        form.form_key.data = new_form_key()
        return None
    except VersionConflict as exc:
        # Of the whole form: the page drawn again names the patient as they are now (the
        # failed write expired the case), so sent again after checking the paper it stands.
        flash(refusal_text(exc), "error")
        form.identity_revision.data = str(case.identity_revision)
        form.identity_corrected = True
        return None
    except ContinuedElsewhere as exc:
        # Of the whole form, not its state: drawn with its choice beside the submit.
        flash(refusal_text(exc), "error")
        return None
    except DraftInTheWay as exc:
        # Beside the tick; the page shows the draft as it is now (_page).
        form.replace_draft.errors = [*form.replace_draft.errors, refusal_text(exc)]
        return None
    except KeyedSinceShown as exc:
        # Beside its tick; the page names the report there now (_page).
        form.replace_report.errors = [*form.replace_report.errors, refusal_text(exc)]
        return None
    except BeforeArrival as exc:
        field = time_fields[exc.field]
        field.errors = [*field.errors, refusal_text(exc)]
        return None
    except UrgentNotCalled as exc:
        form.is_urgent.errors = [*form.is_urgent.errors, refusal_text(exc)]
        return None
    except CaseError as exc:  # a ReportError
        field = field_for(str(exc))
        field.errors = [*field.errors, refusal_text(exc)]
        return None
    confirm_saved(form.form_key.data or "")
    done, again = messages
    flash(done if entered is not None else again, "success")
    return redirect(url_for("cases.show", case_id=case.id))


def _drawn(form: Form) -> ShownVersion:
    # A post without it (no page of this app) goes by the stored version.
    return (
        version_shown(form.report_version.data) if "report_version" in request.form else ANY_VERSION
    )


def _opened(form: Form, case: Case, draft_kind: str) -> None:
    """The form as opened: the draft it continues, and the report version it is drawn against."""
    # A long report typed on another tablet (or before Wi-Fi dropped) continues here.
    draft = resume_form(form, draft_kind, case.id, g.user.site_id, request.args.get("draft", ""))
    if draft is None:
        _urgent_as_reported(form, case)
    # Kept through refusals: a report keyed in meanwhile is one its keyer has not seen until the
    # tick says so. A draft keeps the version its text was typed against; one saved before
    # drafts carried it is taken as typed against the report now.
    if draft is None or "report_version" not in (draft.data or {}):
        form.report_version.data = str(case.report.version) if case.report else ""
    # Likewise the identity: a draft keeps the one the paper was keyed beside.
    if not form.identity_revision.data:
        form.identity_revision.data = str(case.identity_revision)


def _urgent_as_reported(form: Form, case: Case) -> None:
    # The report this one follows has an urgent finding: a box starting unticked, sent as drawn,
    # took the finding and its call to the referrer off the case without anyone choosing to.
    form.is_urgent.data = case.report is not None and case.report.is_urgent


def _page(case: Case, form: Form, source: str, draft_kind: str, viewed: str) -> ResponseReturnValue:
    record_view(case, g.user, viewed)  # after a refused submit too
    over = typed_draft(case.report)
    shown = str(over.version) if over else ""
    if form.draft_version.data != shown:
        # A tick given for another version of the draft (or none) is asked for again.
        form.draft_version.data = shown
        form.replace_draft.data = False
    unseen = keyed_since(case.report, version_shown(form.report_version.data))
    confirmed = str(unseen.version) if unseen else ""
    if form.report_confirmed.data != confirmed:
        form.report_confirmed.data = confirmed
        form.replace_report.data = False
    return render_template(
        f"reporting/{source}.html",
        case=case,
        form=form,
        # Said before a long report is typed, not only when it is sent.
        refusal=report_refusal(case.report, source),
        over_draft=over,
        over_draft_warning=DRAFT_WARNING[source],
        over_keyed=keyed_values(unseen) if unseen else None,
        over_keyed_warning=KEYED_SINCE,
        offers=offered_drafts(draft_kind, case.id, g.user.site_id, form.form_key.data or ""),
        offer_form=ConfirmForm(),
    ), 409 if form.identity_corrected else 400 if form.errors else 200


@bp.route("/<int:case_id>/fax", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def fax(case_id: int) -> ResponseReturnValue:
    """Enter a report that arrived by fax (e.g. from the external night reviewer)."""
    case = get_case_or_404(case_id)
    form = FaxReportForm()
    if request.method == "GET":
        form.received_at.data = utcnow()
        _opened(form, case, FAX_DRAFT_KIND)
    if form.validate_on_submit():
        read_after_arrival(case, form.received_at)
        done = _entered(
            case,
            form,
            (
                _("Det faxade utlåtandet är infört."),
                _("Det faxade utlåtandet var redan infört – inget dubblerades."),
            ),
            # Beside the signature state: what the case's report already is decides the refusal.
            lambda _message: form.state,
            {"received_at": form.received_at},
            received_at=form.received_at.data,
        )
        if done is not None:
            return done
    return _page(case, form, "fax", FAX_DRAFT_KIND, "fax_report_view")


@bp.route("/<int:case_id>/paper", methods=["GET", "POST"])
@roles("radiologist", "secretary")
def paper(case_id: int) -> ResponseReturnValue:
    """Key in a report written on the paper report template, in the radiologist's name."""
    case = get_case_or_404(case_id)
    form = PaperReportForm()
    form.author_id.choices = [("", _("– välj radiolog –")), *site_radiologists(g.user.site_id)]
    if request.method == "GET":
        form.fax_number.data = case.referral.reply_fax if case.referral else ""
        _opened(form, case, PAPER_DRAFT_KIND)
    if form.validate_on_submit():
        chosen = form.author_id.data or ""
        # Not faxed yet: the hidden fax time is not looked at (nor stored).
        faxed = [form.faxed_at] if form.already_faxed.data else []
        read_after_arrival(case, form.written_at, *faxed)
        done = _entered(
            case,
            form,
            (
                _("Utlåtandet från papper är infört."),
                _("Utlåtandet från papper var redan infört – inget dubblerades."),
            ),
            lambda message: form.author_id if message == NOT_A_RADIOLOGIST else form.state,
            {"received_at": form.written_at, "faxed_at": form.faxed_at},
            received_at=form.written_at.data,
            source="paper",
            author_id=int(chosen) if chosen else None,
            read_on=form.read_on.data or "",
            faxed_on=FaxedOn(form.fax_number.data or "", form.faxed_at.data)
            if form.already_faxed.data
            else None,
        )
        if done is not None:
            return done
    return _page(case, form, "paper", PAPER_DRAFT_KIND, "paper_report_view")
