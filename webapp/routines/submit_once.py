"""The answer of a routine's log form that is stored once, whatever the number of taps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request
from flask.typing import ResponseReturnValue

from ..cases.errors import ContinuedElsewhere, SubmissionConflict
from ..cases.submissions import payload_hash
from ..formutil import confirm_saved, new_form_key
from ..i18n import refusal_text
from .services import FieldRefused, RoutineError, SentForm


def log_once(
    form: Any,
    field: Any,
    url: str,
    write: Callable[[SentForm], bool],
    *,
    logged: str,
    already: str,
    has_draft: bool = False,
    beside: tuple[type[RoutineError], ...] = (),
) -> ResponseReturnValue | None:
    """Store a validated log form through `write`: the redirect to `url`, or None on a refusal.

    `write` gets the form's key, content and page, and returns False for a retry (the same
    form stored before): the calm `already` message, nothing written twice. The same key sent
    with other content is refused next to `field` with a new key, so what was typed stays and,
    sent again, is a log of its own. `has_draft` tells the next page the form's draft is done.
    The refusals in `beside` go next to `field` too, rather than into a flash; a FieldRefused
    goes next to the field it names.
    """
    sent = SentForm(form.form_key.data or "", payload_hash(request.form), url)
    try:
        stored = write(sent)
    except SubmissionConflict as exc:
        field.errors = [*field.errors, refusal_text(exc)]
        form.form_key.data = new_form_key()
        return None
    except beside as exc:
        field.errors = [*field.errors, refusal_text(exc)]
        return None
    except FieldRefused as exc:
        target = form[exc.field]
        target.errors = [*target.errors, refusal_text(exc)]
        return None
    except (RoutineError, ContinuedElsewhere) as exc:
        flash(refusal_text(exc), "error")
        return None
    if has_draft:
        confirm_saved(sent.key)
    flash(logged if stored else already, "success")
    return redirect(url)
