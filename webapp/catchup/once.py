"""One catch-up action per form: a double tap on check, waive, confirm or lift is one action.

The first tap may well have been taken while the tablet still showed the button (a slow
network, a finger resting on it). Refused as "already done", the second tap read as a failure
of the first; under the form's key it is answered as the first one was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..cases.submissions import SubmitResult, find_replay, record_submission, write_once


@dataclass(frozen=True)
class FormSubmit:
    """A form's key, a hash of what it sent, and the page its submit leads to."""

    key: str = ""
    digest: str = ""
    url: str = ""


NO_FORM = FormSubmit()


def write_action_once(
    submit: FormSubmit, *, kind: str, case_id: int, user_id: int, write: Callable[[Session], None]
) -> bool:
    """Run one action's writes in one transaction, once per form key; True for a replay.

    A form sent again with other content under its key is refused (SubmissionConflict). With
    no key (a client that sent none) the action's own rules decide, as before.
    """

    def run(session: Session) -> SubmitResult | None:
        if submit.key:
            earlier = find_replay(session, submit.key, submit.digest)
            if earlier is not None:
                return earlier
        write(session)
        if submit.key:
            record_submission(
                session,
                key=submit.key,
                kind=kind,
                digest=submit.digest,
                url=submit.url,
                case_id=case_id,
                user_id=user_id,
                has_draft=False,
            )
        return None

    return isinstance(write_once(submit.key, submit.digest, run), SubmitResult)
