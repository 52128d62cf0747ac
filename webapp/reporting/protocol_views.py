"""The radiologist's instruction to the radiographer, written beside the priority."""

from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import roles
from ..cases.errors import ContinuedElsewhere, VersionConflict
from ..cases.forms import shown_version
from ..cases.queries import get_case_or_404
from ..cases.submissions import SentOnce, payload_hash
from ..cases.versions import ANY_VERSION
from ..formutil import confirm_saved, new_form_key
from ..i18n import gettext as _
from ..i18n import refusal_text
from . import bp
from .case_services import write_protocol
from .forms import ProtocolForm
from .screen_page import redrawn_screen, return_to_screen
from .services import ReportError


@bp.route("/<int:case_id>/protocol", methods=["POST"])
@roles("radiologist")
def protocol(case_id: int) -> ResponseReturnValue:
    """Write the instruction to the radiographer (versioned, audited)."""
    case = get_case_or_404(case_id)
    form = ProtocolForm()
    if form.validate_on_submit():
        text = form.protocol.data or ""
        try:
            write_protocol(
                case_id=case.id,
                user=g.user,
                text=text,
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
        except VersionConflict as exc:
            # Beside the text, which is kept; the page shows the version saved now.
            form.protocol.errors = [*form.protocol.errors, refusal_text(exc)]
            form.case_version.data = case.version
        except ContinuedElsewhere as exc:
            # Drawn with its choice inside the form, above its submit (older_copy_choice).
            flash(refusal_text(exc), "error")
        except ReportError as exc:
            # Beside the text, which is kept (a redirect dropped it): sent again after a lost
            # answer with other text, it goes under a new key, over the first text's version.
            form.protocol.errors = [*form.protocol.errors, refusal_text(exc)]
            form.form_key.data = new_form_key()
            form.case_version.data = case.version
        else:
            confirm_saved(form.form_key.data or "")
            saved = _("Instruktionen är sparad.") if text.strip() else None
            flash(saved or _("Instruktionen är borttagen."), "success")
            return redirect(return_to_screen(case.id))
    return redrawn_screen(case, protocol_form=form)
