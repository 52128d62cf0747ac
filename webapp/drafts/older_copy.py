"""A submit's word on its draft (sent_copy), read from each request, and the refusal's choice."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, request

from ..draft_kinds import DRAFT_KINDS, continue_url
from ..i18n import refusal_text
from ..sent_copy import SENT_COPY, parse_copy
from . import bp


@bp.before_app_request
def read_sent_copy() -> None:
    """The sending page's copy of its draft, from the fields drafts.js adds at submit."""
    copy = None
    if request.method == "POST" and "draft_writer" in request.form:
        form = request.form
        copy = parse_copy(
            form.get("draft_writer", ""),
            form.get("draft_base", ""),
            form.get("draft_seq", ""),
            form.get("draft_send_anyway", ""),
            current_app.config["TIMEZONE"],
        )
    # Set on every request: a thread serving the next one must not keep this one's.
    SENT_COPY.set(copy)


@bp.app_template_global()
def refusal_choice() -> dict[str, Any] | None:
    """A refused older copy's message and choice (open the newer one, or send this one as it
    is), for the form of its kind to draw beside its submit."""
    refused = g.get("refusal_choice")
    user = g.get("user")
    if refused is None or user is None:
        return None
    # The record the form is typed under (a blank's code, an incident's or a transfer's id) is
    # the sending route's own argument of that name.
    kind = DRAFT_KINDS.get(refused.kind)
    sheet_arg = kind.sheet_arg if kind is not None else None
    sheet = str((request.view_args or {}).get(sheet_arg, "")) if sheet_arg else ""
    newer = continue_url(refused.kind, refused.form_key, refused.case_id, user.role, sheet)
    return {
        "key": refused.form_key,
        "kind": refused.kind,
        "newer": newer,
        "text": refusal_text(refused),
    }
