"""The error of an incident action the rules do not allow (shared by its services)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..refusal import Message, Refused


class IncidentError(Refused):
    """An incident action that the rules do not allow."""


@dataclass(frozen=True)
class NamedCase:
    """A case a refused close names, with what holds it ("outstanding" or an open task's kind)."""

    case_id: int
    code: str
    patient_name: str
    kind: str = "outstanding"
    # Which of the case's tasks of the kind (OpenTask.about), None where it has one.
    about: Message | None = None
    # The patient's identity number as staff write it: the name alone may be unknown.
    patient_number: str = ""


@dataclass(frozen=True)
class NamedDraft:
    """An unsent form a refused close names, with what its link needs (draft_kinds.continue_url)."""

    kind: str
    form_key: str
    case_id: int | None
    sheet: str
    # Its name as the message gives it, in Swedish (UnsentDraft.named); the page translates.
    name: Message


class CloseRefused(IncidentError):
    """A close refused over cases or forms, each named so that the page can link it.

    At most a page's worth is named; `more` counts those left out.
    """

    def __init__(
        self,
        message: str,
        *,
        cases: Sequence[NamedCase] = (),
        drafts: Sequence[NamedDraft] = (),
        more: int = 0,
        **values: object,
    ) -> None:
        super().__init__(message, **values)
        self.cases = tuple(cases)
        self.drafts = tuple(drafts)
        self.more = more
