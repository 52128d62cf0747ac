"""The catch-up page of one case: what to key into RIS, the steps, the check, a waiver."""

from __future__ import annotations

from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..accession_rule import lacks_accession
from ..audit import log_read
from ..cases.errors import CaseError, SubmissionConflict
from ..cases.queries import get_case_or_404, same_patient_cases
from ..cases.submissions import RESENT_OTHER, SentOnce, item_form_key, payload_hash
from ..dispatch_rule import dispatch_status
from ..extensions import db
from ..formutil import new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from ..incidents.closing import WAIVED_UNSIGNED
from ..incidents.forms import ConfirmForm
from ..models import CATCHUP_STEPS, Case, CatchupRecord
from ..models.report import SECOND_LOOK_OUTCOMES, has_findings
from ..pacs_rule import only_on_modality
from ..release_in_ris import notes_of_case
from ..reporting.queries import calls_for
from ..reporting.signed import SIGNING_KINDS, SignedText, signed_text
from ..web import local_time
from . import STAFF, bp
from .batch import CallData, latest_ticks
from .forms import RisIdsForm, StepForm, VerifyForm, sent_wrong, shown_numbers
from .identities import earlier_identities
from .next_focus import (
    FOCUS_ARG,
    FOCUS_NEXT,
    first_unticked,
    focus_target,
    steps_open,
)
from .ris_numbers import accession_in_use, log_holders_read
from .services import CaseNotFound, CatchupError
from .shown import shown_token
from .step_labels import STEP_LABELS
from .step_rules import step_blocker
from .step_rules import undone_with as later_steps
from .ticking import (
    AccessionMissing,
    AlreadyInState,
    LaterStepsWouldGo,
    PreliminaryUnconfirmed,
    tick_step,
)
from .verifying import keyer_ids, verify_case
from .waiver_form import waiver_form
from .waiving import waiver_stamp

# Read out with the next step, which has the focus: what the tick saved.
STEP_TICKED = "Klart: %(step)s."
STEP_UNTICKED = "Ångrat: %(step)s."


def _signed(case: Case) -> SignedText | None:
    """The text to key is the signed one, as the batch carries it, not a later unsigned save."""
    if case.report is None or case.report.state == "draft":
        return None
    try:
        return signed_text(db.session, case.report)
    except LookupError:
        # The template then says the signed text is missing rather than offer other text.
        return None


def _report_copy(case: Case, signed: SignedText | None) -> str:
    """The signed text to key, opening with the fax's line of where the images were read: the
    report in RIS says what the referrer's fax said (as the exports give it)."""
    if signed is None or case.report is None:
        return ""
    note = signed.read_on_note
    return f"Granskning: {note}\n{signed.text}" if note else signed.text


def _second_look(case: Case) -> str:
    """The second look in PACS of a report read on the modality, to key with the report."""
    report = case.report
    if report is None or report.second_look_at is None:
        return ""
    by = report.second_look_by.display_name if report.second_look_by else ""
    outcome = SECOND_LOOK_OUTCOMES.get(report.second_look_outcome, report.second_look_outcome)
    return f"{local_time(report.second_look_at)} {by}: {outcome}"


def _last_signature(case: Case) -> tuple[str, datetime] | None:
    """The kind and time of the report's latest signature; keyed from a fax or paper, the time
    on the paper (as its sheet and the batch give it), not when it was keyed."""
    report = case.report
    signing = [s for s in report.signatures if s.kind in SIGNING_KINDS] if report else []
    if report is None or not signing:
        return None
    last = signing[-1]
    return last.kind, report.paper_times.get(last.id) or last.signed_at


def _calls_to_key(case_id: int) -> list[str]:
    """Each call about the urgent finding as RIS documents it with the report, as the CSV
    writes it: the page is what the secretary keys from."""
    return [
        CallData(
            call.called_person,
            call.phone_number,
            "",
            call.called_by.display_name,
            call.note,
        ).with_report(local_time(call.called_at))
        for call in calls_for(case_id)
    ]


# A waiver skips the steps, so a RIS accession on a waived case marks nothing: RIS gives one
# only to a booked exam, so the case was most likely keyed after all.
NUMBER_ON_WAIVER = (
    "Ärendet är undantaget men har ett accessionsnummer, och inget steg är markerat: har det "
    "förts in i RIS ändå, häv undantaget och bocka av stegen."
)


def _number_on_waiver(case: Case, record: CatchupRecord | None, booked: bool) -> bool:
    """Whether a waived case holds a RIS accession that no step reflects (booked: its
    'Bokad i RIS' is ticked, before the waiver)."""
    return bool(
        record is not None
        and record.waived_at is not None
        and record.ris_accession
        and not booked
        and case.status != "cancelled"
        and case.incident.ended_at is None
    )


def _unsigned_on_waiver(case: Case, record: CatchupRecord | None) -> str:
    """Why the waived case still holds the incident's close: a report saved, never signed."""
    report = case.report
    if record is None or record.waived_at is None or report is None:
        return ""
    return WAIVED_UNSIGNED if report.state == "draft" and has_findings(report.sections) else ""


def render_case(
    case_id: int,
    status: int = 200,
    step_errors: dict[str, str] | None = None,
    accession_error: str = "",
    lift_error: str = "",
    verify_error: str = "",
    unconfirmed: bool = False,
    is_duplicate: bool = False,
    undone_with: list[str] | None = None,
    is_notice: bool = False,
    **forms: object,
) -> ResponseReturnValue:
    case = get_case_or_404(case_id)
    # Every answer that shows the case is a read, a refused submit's included.
    log_read("catchup_view", case=case)
    ticks = latest_ticks([case.id])[case.id]
    record = case.catchup
    given = forms.get("ris_form")
    ris_form = (
        given
        if isinstance(given, RisIdsForm)
        else RisIdsForm(
            formdata=None,
            data={
                "ris_accession": record.ris_accession if record else "",
                "ris_exam_number": record.ris_exam_number if record else "",
                "accession_shown": record.ris_accession if record else "",
                "exam_number_shown": record.ris_exam_number if record else "",
            },
        )
    )
    shown = shown_token(db.session, case.id)
    # What the page shows now: a new accession sent from it marks the case booked as shown.
    ris_form.shown.data = shown
    if accession_error:
        # What the refused step needs is typed here: the message stands at this field too.
        ris_form.ris_accession.errors = [accession_error]
    duplicates = accession_in_use(case.site_id, record.ris_accession, case.id) if record else []
    log_holders_read(duplicates, case.code)
    # The services refuse every change once the incident has ended: offer none.
    is_locked = case.incident.ended_at is not None
    offers_waiver = (
        case.status not in ("closed", "cancelled")
        and not is_locked
        and not (record and record.waived_at)
    )
    waive_form, waiver_offers = waiver_form(
        case.id, case.site_id, forms.get("waive_form"), is_offered=offers_waiver
    )
    # What the page shows now: a waiver sent from it is of the case as shown.
    waive_form.shown.data = shown
    is_open = steps_open(
        is_locked=is_locked, status=case.status, is_waived=bool(record and record.waived_at)
    )
    # Offered disabled, with the reason beside it: what the step records has not happened here.
    done = {step for step, tick in ticks.items() if tick.is_done}
    blocked = _blocked_steps(case, done, record)
    offered = [s for s in CATCHUP_STEPS if s not in blocked]
    next_step = first_unticked(offered, ticks) if is_open else None
    signed = _signed(case)
    return render_template(
        "catchup/case.html",
        case=case,
        ticks=ticks,
        record=record,
        steps=CATCHUP_STEPS,
        step_labels=STEP_LABELS,
        ris_form=ris_form,
        step_form=StepForm(),
        step_errors=step_errors or {},
        # The refused untick's later steps, undone with it once confirmed beside the refusal.
        undone_with=undone_with or [],
        # The step is in the state asked for already: told as information, not as a refusal.
        step_is_notice=is_notice,
        later_of={step: later_steps(step, done) for step in done},
        waive_form=waive_form,
        waiver_offers=waiver_offers,
        offers_waiver=offers_waiver,
        confirm_form=ConfirmForm(),
        # One key per button (catchup.once): its double tap is one check, confirmation or lift.
        # "steps": one key for the page's ticks, each step stored under a key of its own.
        # "release_notes": one for the page's release notes, each stored under a key of its own.
        form_keys={
            action: new_form_key()
            for action in ("verify", "confirm", "lift", "steps", "release_notes")
        },
        release_notes=notes_of_case(case.id),
        duplicates=duplicates,
        # The confirmation answers a refused duplicate only: offered on any other refusal, it
        # reads as a way past it.
        is_duplicate=is_duplicate,
        no_accession=lacks_accession(case.status, ticks, record),
        images_on_modality=case.exam is not None and only_on_modality(case.exam.pacs_status),
        blocked=blocked,
        four_eyes=g.site_config.four_eyes,
        # The check is refused to whoever keyed the case: shown disabled to them, with why.
        is_keyer=bool(record and record.keyed_at)
        and g.site_config.four_eyes
        and g.user.id in keyer_ids(db.session, case.id, ticks),
        calls=_calls_to_key(case.id),
        signed=signed,
        report_copy=_report_copy(case, signed),
        second_look=_second_look(case),
        last_signature=_last_signature(case),
        unsigned_on_waiver=_unsigned_on_waiver(case, record),
        number_on_waiver=NUMBER_ON_WAIVER
        if _number_on_waiver(case, record, "booked" in done)
        else "",
        waiver_stamp=waiver_stamp(record.waived_at, record.waiver_confirmed_at) if record else "",
        lift_error=lift_error,
        verify_error=verify_error,
        dispatch=dispatch_status(case),
        shown=shown,
        earlier=earlier_identities(db.session, [case.id]).get(case.id, []),
        # One referral registered twice would be booked twice in RIS; two patients on one reserve
        # number would meet under it: named here too, where the case is keyed.
        same_patient=same_patient_cases(case) if case.status != "cancelled" else [],
        is_locked=is_locked,
        steps_open=is_open,
        focus=focus_target(
            after_action=request.args.get(FOCUS_ARG) == FOCUS_NEXT,
            is_locked=is_locked,
            is_open=is_open,
            next_step=next_step,
            refused_step=next(iter(step_errors or {}), ""),
            refused_blocked=any(s in blocked for s in step_errors or {}),
            unconfirmed=unconfirmed,
            ris_refused=bool(ris_form.errors),
            check_refused=bool(verify_error),
        ),
        # Beside the steps once none is left to tick: the way to the next paper.
        scan_next=not is_locked and next_step is None,
    ), status


def _blocked_steps(case: Case, done: set[str], record: CatchupRecord | None) -> dict[str, str]:
    """The steps not ticked done that cannot be yet, each with why (step_rules)."""
    exam, report = case.exam, case.report
    reasons = {
        step: step_blocker(
            step,
            has_exam=exam is not None,
            pacs_status=exam.pacs_status if exam else None,
            report_state=report.state if report else None,
            done=done,
            has_accession=bool(record and (record.ris_accession or "").strip()),
        )
        for step in CATCHUP_STEPS
        if step not in done
    }
    return {step: reason for step, reason in reasons.items() if reason}


def back_to_case(case_id: int) -> ResponseReturnValue:
    """The case's page after an action on it, focused on the next thing to do (next_focus)."""
    return redirect(url_for("catchup.case", case_id=case_id) + f"?{FOCUS_ARG}={FOCUS_NEXT}")


@bp.route("/catchup/cases/<int:case_id>")
@roles(*STAFF)
def case(case_id: int) -> ResponseReturnValue:
    """Everything needed to key the case into RIS, in RIS's order, one tap to copy."""
    return render_case(case_id)


def form_submit(form_key: str | None, case_id: int) -> SentOnce:
    """The submit of a catch-up form with its key, as catchup.once takes it."""
    return SentOnce(
        form_key or "", payload_hash(request.form), url_for("catchup.case", case_id=case_id)
    )


@bp.route("/catchup/cases/<int:case_id>/steps", methods=["POST"])
@roles(*STAFF)
def step(case_id: int) -> ResponseReturnValue:
    """Tick or untick a catch-up step."""
    form = StepForm()
    step = form.step.data or ""
    # The service checks the case and its site inside the write transaction; loading the case
    # here first would cost as much again.
    if form.validate_on_submit():
        try:
            tick_step(
                case_id=case_id,
                user=g.user,
                step=step,
                is_done=form.is_done.data == "1",
                four_eyes=g.site_config.four_eyes,
                confirm_preliminary=bool(form.confirm_preliminary.data),
                confirm_uncheck=form.confirm_uncheck.data == "1",
                shown=form.shown.data or "",
                shown_tick=form.shown_tick.data or "",
                shown_later=form.listed_later(),
                submit=form_submit(item_form_key(form.form_key.data or "", step), case_id),
            )
        except CaseNotFound:
            abort(404)
        except AccessionMissing as exc:
            message = refusal_text(exc)
            return render_case(case_id, 409, {"booked": message}, accession_error=message)
        except PreliminaryUnconfirmed as exc:
            return render_case(case_id, 409, {step: refusal_text(exc)}, unconfirmed=True)
        except LaterStepsWouldGo as exc:
            return render_case(case_id, 409, {step: refusal_text(exc)}, undone_with=exc.later)
        except AlreadyInState as exc:
            return render_case(case_id, 409, {step: refusal_text(exc)}, is_notice=True)
        except SubmissionConflict:
            flash(_(RESENT_OTHER), "error")
        except CatchupError as exc:
            if step in STEP_LABELS:
                # Beside the step, which the page focuses and so brings into view: a flash at
                # its top is out of view on a portrait tablet, and the step would look merely
                # unticked.
                return render_case(case_id, 409, {step: refusal_text(exc)})
            flash(refusal_text(exc), "error")
        else:
            done = STEP_TICKED if form.is_done.data == "1" else STEP_UNTICKED
            flash(_(done, step=_(STEP_LABELS[step])), "success")
    else:
        # Beside the step where the page has it, as the step's refusals are; else at the top.
        wrong = sent_wrong(form)
        if step in STEP_LABELS:
            return render_case(case_id, 400, {step: wrong})
        flash(wrong, "error")
        return render_case(case_id, 400)
    return back_to_case(case_id)


@bp.route("/catchup/cases/<int:case_id>/verify", methods=["POST"])
@roles(*STAFF)
def verify(case_id: int) -> ResponseReturnValue:
    """Second secretary confirms the keyed case matches the paper."""
    case = get_case_or_404(case_id)
    form = VerifyForm()
    if form.validate_on_submit():
        try:
            verify_case(
                case_id=case.id,
                user=g.user,
                four_eyes=g.site_config.four_eyes,
                shown=form.shown.data or "",
                numbers=shown_numbers(form),
                submit=form_submit(form.form_key.data, case.id),
            )
        except (CatchupError, CaseError) as exc:
            # Beside the check, focused: flashed at the top with "Skanna nästa" focused, it was
            # out of view, and Enter went on to the next paper with the case unchecked.
            return render_case(case.id, 409, verify_error=refusal_text(exc))
        flash(_("Kontrollen är registrerad."), "success")
    else:
        return render_case(case.id, 400, verify_error=sent_wrong(form))
    return back_to_case(case.id)
