"""One catch-up action per form: a double tap on check, waive, confirm or lift is one action.

The first tap may well have been taken while the tablet still showed the button (a slow
network, a finger resting on it). Refused as "already done", the second tap read as a failure
of the first; under the form's key it is answered as the first one was.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ..cases.submissions import SentOnce, SubmitResult, store_once


def write_action_once(
    submit: SentOnce,
    *,
    kind: str,
    case_id: int,
    user_id: int,
    write: Callable[[Session], None],
    has_draft: bool = False,
) -> bool:
    """Run one action's writes in one transaction, once per form key; True for a replay.

    A form sent again with other content under its key is refused (SubmissionConflict). With
    no key (a client that sent none) the action's own rules decide, as before. has_draft: the
    form autosaves (a waiver's reason), and its draft is done with in the same transaction.
    """
    result = store_once(
        form_key=submit.key,
        digest=submit.digest,
        kind=kind,
        user_id=user_id,
        write=write,
        url_of=lambda _none: submit.url,
        case_id=case_id,
        has_draft=has_draft,
    )
    return isinstance(result, SubmitResult)
