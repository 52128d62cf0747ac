"""The close's tasks of setting RIS and PACS right after the outage, each read from its own
module: cancelled cases' orders and images to clean up (ris_pacs_left), reviewer answers entered
in RIS on the wrong case to remove (reviewer_in_ris) and release notes to write in RIS
(release_in_ris)."""

from __future__ import annotations

from collections.abc import Sequence

from ..refusal import Message
from ..release_in_ris import ReleaseNote, not_in_ris
from ..reviewer_in_ris import WrongAnswerInRis, not_removed
from ..ris_pacs_left import LeftBehind, not_cleaned_up
from ..web import local_time
from .open_task import OpenTask

CLEAN_UP_TASK = "ris_pacs_clean_up"
NOT_CLEANED_UP = (
    "Makulerat ärende med en beställning i RIS eller bilder i PACS: städa upp det där och "
    "registrera det under Att städa upp i RIS/PACS."
)
RIS_REMOVAL_TASK = "reviewer_ris_removal"
NOT_REMOVED_FROM_RIS = (
    "RIS-administratören har inte registrerat att det felaktigt inlagda svaret är borttaget ur "
    "RIS: mottagningen av granskarens svar ångrades efter att svaret lagts in på ärendet. Ta "
    "bort det där och registrera det i RIS-administratörens kö."
)
ANSWER = "svar %(n)s från %(reviewer)s, mottaget %(at)s"
# A task logged before answers were named: which one, by when it was undone.
ANSWER_UNNAMED = "svar från %(reviewer)s, ångrat %(at)s"
RELEASE_NOTE_TASK = "release_ris_note"
RELEASE_NOTE_NOT_IN_RIS = (
    "Utlämnandet av bilder är inte infört i remissanteckningen i RIS: kopiera texten på "
    "ärendets efterregistrering, skriv in den i RIS och bocka av den där."
)
RELEASE_NOTE_CHANGED = (
    "Remissanteckningen har ändrats sedan den fördes in i RIS (skivan har lämnats ut): för in "
    "den nya texten i RIS och bocka av den på ärendets efterregistrering."
)


def ris_tasks(
    incident_id: int,
    *,
    left: Sequence[LeftBehind] | None = None,
    notes: Sequence[ReleaseNote] | None = None,
) -> list[OpenTask]:
    """The incident's cases still to clean up in RIS/PACS, answers still to remove from RIS
    and release notes still to write there; left, notes: as open_tasks takes them."""
    return [
        *(
            OpenTask(
                c.case_id, c.code, c.patient_name, CLEAN_UP_TASK, NOT_CLEANED_UP, c.patient_number
            )
            for c in (not_cleaned_up(incident_id) if left is None else left)
            if not c.is_cleaned
        ),
        *(
            OpenTask(
                w.case_id,
                w.code,
                w.patient_name,
                RIS_REMOVAL_TASK,
                NOT_REMOVED_FROM_RIS,
                w.patient_number,
                which_answer(w),
            )
            for w in not_removed(incident_id)
        ),
        *(
            OpenTask(
                n.case_id,
                n.code,
                n.patient_name,
                RELEASE_NOTE_TASK,
                RELEASE_NOTE_CHANGED if n.has_changed else RELEASE_NOTE_NOT_IN_RIS,
                n.patient_number,
            )
            for n in (not_in_ris(incident_id) if notes is None else notes)
            if n.is_outstanding
        ),
    ]


def which_answer(w: WrongAnswerInRis) -> Message:
    """Which of the case's answers a removal is: a case may hold two in RIS, one task each."""
    reviewer = w.reviewer or "–"
    if not w.answer_number:
        return Message(ANSWER_UNNAMED, {"reviewer": reviewer, "at": local_time(w.undone_at)})
    at = local_time(w.answer_received_at)
    return Message(ANSWER, {"n": w.answer_number, "reviewer": reviewer, "at": at})
