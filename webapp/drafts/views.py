"""Draft API for the autosave script, and the list of drafts."""

from __future__ import annotations

import re

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from ..access import CLINICAL, roles
from ..audit import log_list_read
from ..draft_kinds import (
    CANCELLED_CASE_KINDS,
    DRAFT_KINDS,
    KIND_LABELS,
    continue_url,
    is_moot,
    is_past_reconciled,
)
from ..draft_names import code_names
from ..extensions import db
from ..i18n import gettext as _
from ..incidents.forms import ConfirmForm
from ..late_drafts import draft_summary
from ..local_paths import local_path
from ..models import MAX_ROW_ID, Case, Draft
from ..overridden_drafts import is_sent_over
from ..restore_call_rule import needs_restore_call
from ..return_pages import without_recording
from . import bp
from .discarding import DiscardRefused, discard_draft, may_discard_draft
from .queries import draft_for_key, draft_list, is_call_logged
from .reading import typed_values
from .records import draft_records
from .services import (
    NOT_YOUR_FORM,
    DraftError,
    DraftForbidden,
    log_draft_read,
    save_draft,
)

WRITER_RE = re.compile(r"^[A-Za-z0-9_-]{8,32}$")


def _optional_id(value: object) -> int | None:
    """A row id the tablet names (None if it names none); the service checks what it names."""
    return None if value in (None, "") else _number(value)


def _writer(value: object) -> str | None:
    """The tablet's name for its copy of the form (None if it names none)."""
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not WRITER_RE.match(value):
        raise DraftError("Ogiltig kopia av formuläret.")
    return value


def _number(value: object) -> int:
    """An id or sequence number from the JSON body, within the database's integer range."""
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        # Python's own message would echo the value back in English.
        raise DraftError("Ogiltigt nummer i utkastet.") from None
    if not 0 <= number <= MAX_ROW_ID:
        raise DraftError("Talet är utanför giltigt intervall.")
    return number


@bp.route("/api/drafts/<form_key>", methods=["PUT"])
@roles(*CLINICAL)
def put(form_key: str) -> ResponseReturnValue:
    """Autosave: store the form's current values (JSON)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error="JSON krävs"), 400
    try:
        seq = _number(body.get("seq", 0))
        saved = save_draft(
            form_key=form_key,
            kind=str(body.get("kind", "")),
            user=g.user,
            incident_id=_optional_id(body.get("incident_id")),
            case_id=_optional_id(body.get("case_id")),
            data=body.get("data"),
            label=str(body.get("label", "")),
            seq=seq,
            # The tablet's word for whose text this is: it names the draft, it grants nothing.
            typed_under=_optional_id(body.get("typed_under")),
            continued_under=_optional_id(body.get("continued_under")),
            # Which copy saves, and the laptop's count its text goes on from: a save over text
            # another tablet typed meanwhile is refused as "overtaken", never stored over it.
            writer=_writer(body.get("writer")),
            base=_optional_id(body.get("base")),
        )
    except DraftForbidden as exc:
        return jsonify(error=str(exc)), 403
    except DraftError as exc:
        return jsonify(error=str(exc)), 400
    except (ValueError, TypeError, OverflowError):
        return jsonify(error="Utkastet har ogiltiga uppgifter."), 400
    # incident_ended: kept, but the form cannot be sent any more; the tablet says so to its user.
    answer = {
        "state": saved.state,
        "seq": saved.draft.client_seq if saved.draft else seq,
        "incident_ended": saved.incident_ended,
    }
    if saved.state == "done":
        # in_sent False: sent from another tablet's copy without this text, which it keeps.
        answer["in_sent"] = saved.in_sent
    return jsonify(answer)


@bp.route("/api/drafts/<form_key>")
@roles(*CLINICAL)
def get(form_key: str) -> ResponseReturnValue:
    """The stored draft of a form (to compare with the tablet's own copy)."""
    draft = draft_for_key(form_key, g.user.site_id)
    if draft is None:
        return jsonify(error="finns inte"), 404
    kind = DRAFT_KINDS.get(draft.kind)
    if kind is None or g.user.role not in kind.roles:
        # What was typed into a form this role may not open stays with those who may.
        return jsonify(error=NOT_YOUR_FORM), 403
    # An exam or report draft is that case's patient data: its row names the case and patient;
    # a try on a transfer with no case names that transfer's patient, as the draft's page does.
    record = draft_records(g.user.site_id, [(draft.id, draft.kind, draft.data)], masked=False)
    shown = record.get(draft.id)
    log_draft_read(draft, g.user, patient_ref=shown.patient_ref if shown else "")
    return jsonify(
        kind=draft.kind,
        data=draft.data,
        seq=draft.client_seq,
        updated_at=draft.updated_at.isoformat(),
    )


@bp.route("/drafts")
@roles(*CLINICAL)
def index() -> ResponseReturnValue:
    """Every unfinished form of the site, so none is forgotten."""
    drafts = draft_list(g.user.site_id, g.site_config)
    # One row for the list, as the board and worklist write, naming the cases shown; a form
    # begun without a case shows the patient or case code typed into it, so those count too.
    log_list_read(
        "drafts_view",
        codes=[d.case_code or d.typed_code for d in drafts],
        patients=[d.typed_patient for d in drafts],
    )
    return render_template(
        "drafts/index.html",
        drafts=drafts,
        kind_labels=KIND_LABELS,
        links={
            d.id: continue_url(d.kind, d.form_key, d.case_id, g.user.role, d.sheet) for d in drafts
        },
        confirm_form=ConfirmForm(),
    )


@bp.route("/drafts/<int:draft_id>")
@roles(*CLINICAL)
def show(draft_id: int) -> ResponseReturnValue:
    """A draft's text to read: one that can no longer be sent is keyed into RIS from here."""
    draft = db.session.get(Draft, draft_id)
    summary = draft_summary(draft_id, g.user.site_id)
    # A sent form's draft holding another tablet's newer text, sent over: read only.
    sent_over = summary is None and draft is not None and draft.is_done and is_sent_over(draft_id)
    if sent_over:
        summary = draft_summary(draft_id, g.user.site_id, done=True)
    if draft is None or summary is None:
        return render_template("error.html", code=404, message=_("Utkastet finns inte.")), 404
    if not summary.may_read(g.user.role):
        # As the draft API: what was typed into a form this role may not open stays with
        # those who may.
        return render_template("error.html", code=403, message=_(NOT_YOUR_FORM)), 403
    # A form that is no case's names its transfer (and that one's patient) or its outage, shown
    # whole as the transfer's page shows it, and logged as that page's read is.
    record = draft_records(g.user.site_id, [(draft.id, draft.kind, draft.data)], masked=False).get(
        draft.id
    )
    log_draft_read(draft, g.user, patient_ref=record.patient_ref if record else "")
    # A form of a cancelled case (undoing it, the notice to its referrer) once the case is
    # active again: the case page no longer draws the form, as the drafts list says.
    case = db.session.get(Case, draft.case_id) if draft.case_id else None
    case_restored = (
        not sent_over
        and case is not None
        and case.status != "cancelled"
        and draft.kind in CANCELLED_CASE_KINDS
    )
    # A live case's form while the case is cancelled: sent only once the cancellation is undone.
    case_cancelled = (
        not sent_over
        and case is not None
        and case.status == "cancelled"
        and is_moot(draft.kind, case.status)
    )
    # A waiver of a case reconciled meanwhile: the catch-up page draws no waiver form for it.
    case_reconciled = (
        not sent_over and case is not None and is_past_reconciled(draft.kind, case.status)
    )
    call_logged = (
        not sent_over
        and case is not None
        and is_call_logged(
            draft.kind, case.status, needs_restore_call(case, list(case.cancel_notices))
        )
    )
    return render_template(
        "drafts/show.html",
        d=summary,
        record=record,
        # Its transfer closed or its number recorded meanwhile: its page draws no such form.
        record_moot=not sent_over and record is not None and record.is_moot,
        case_restored=case_restored,
        case_cancelled=case_cancelled,
        case_reconciled=case_reconciled,
        call_logged=call_logged,
        values=typed_values(
            draft.kind,
            draft.data,
            code_names(g.site_config),
        ),
        continue_link=None
        if sent_over
        else continue_url(draft.kind, draft.form_key, draft.case_id, g.user.role, summary.sheet),
        sent_over=sent_over,
        back_to=_back_to(request.args.get("next", "")),
        confirm_form=ConfirmForm(),
        may_discard_it=not sent_over and may_discard_draft(draft, g.user),
    )


def _back_to(path: str) -> str:
    """The page a discard returns to: a path on this laptop (the form it was offered on)."""
    return local_path(path) or url_for("drafts.index")


@bp.route("/drafts/<int:draft_id>/discard", methods=["POST"])
@roles(*CLINICAL)
def discard(draft_id: int) -> ResponseReturnValue:
    """Throw away a draft that is no longer needed."""
    if ConfirmForm().validate_on_submit():
        try:
            discard_draft(draft_id=draft_id, user=g.user)
        except DiscardRefused as exc:
            # A forged or stale page's POST: the pages offer "Släng" only where it is allowed.
            return render_template("error.html", code=403, message=_(str(exc))), 403
        except DraftError as exc:
            flash(str(exc), "error")
        else:
            flash(_("Utkastet är borttaget från listan."), "success")
    return redirect(without_recording(_back_to(request.form.get("next", ""))))
