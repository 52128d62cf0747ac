"""Work on a case that outlives its reconciliation, as the close's checks name it."""

from __future__ import annotations

from dataclasses import dataclass

from ..refusal import Message


def case_label(code: str, name: str, number: str) -> str:
    """A case as a message names it: code, then the patient's name and number."""
    return f"{code} ({name or 'Namn okänt'}, {number})"


@dataclass(frozen=True)
class OpenTask:
    """Work on a case that outlives its reconciliation, and stops the incident from ending."""

    case_id: int
    code: str
    patient_name: str
    # "urgent_call", "restore_call", "reviewer_answer", "reviewer_cancel", "reviewer_back_on",
    # "reviewer_fax", "reviewer_forward", "unsigned_report", "waived_unsigned", "waiver_pending",
    # "no_accession" or "ris_pacs_clean_up", "reviewer_ris_removal" or "release_ris_note"
    kind: str
    message: str
    patient_number: str = ""
    # Which of the case's items, where a case can hold two tasks of one kind (two reviewer
    # answers to take out of RIS): without it their lines would read the same.
    about: Message | None = None

    @property
    def label(self) -> str:
        return case_label(self.code, self.patient_name, self.patient_number)

    @property
    def line(self) -> Message:
        """The task as a refused close lists it: the case, which of its items, what to do."""
        task = Message(self.message)
        if self.about is None:
            return Message("%(case)s: %(task)s", {"case": self.label, "task": task})
        values = {"case": self.label, "about": self.about, "task": task}
        return Message("%(case)s, %(about)s: %(task)s", values)
