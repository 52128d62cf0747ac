"""What each catch-up step needs to have happened in Reservrutin before it is ticked done.

A tick tells everyone that RIS or PACS now holds something: an exam completed, images matched,
a report on the radiologist's correction list. Ticked with nothing behind it in the case, the
case would read as reconciled while RIS holds an empty exam, and the paper still to be typed
in (a documentation or report blank) would look done. The case page offers such a step
disabled with the reason beside it; the tick service refuses it whatever the page showed.

RIS itself imposes an order too: the exam is completed, its images matched and its report keyed
on its booking, found by the accession; the correction list takes a report keyed into RIS. A
step ticked before what it builds on is in RIS cannot have been done. Undoing a step undoes
what builds on it (undone_with); the page asks first.
"""

from __future__ import annotations

from collections.abc import Collection

from ..pacs_rule import only_on_modality

NO_EXAM = (
    "Undersökningen är inte dokumenterad i Reservrutin: dokumentera den (eller för in "
    "dokumentationsblanketten) på ärendets sida innan den klarmarkeras i RIS."
)
NO_EXAM_IMAGES = (
    "Undersökningen är inte dokumenterad i Reservrutin, så inga bilder är registrerade som "
    "skickade till PACS: dokumentera den på ärendets sida först."
)
# The images are only on the modality (pacs_rule): a match ticked now would tell everyone they
# are safe in PACS while the modality is due to delete them. Who sent them, and when, is the
# radiographer's to record on the case page; the secretary's view in PACS cannot say either.
IMAGES_NOT_IN_PACS = (
    "Bilderna finns inte i PACS enligt dokumentationen: de finns bara på modaliteten. De ska "
    "först skickas till PACS från modaliteten och registreras som skickade på ärendets sida; "
    "matcha dem sedan."
)
NO_SIGNED_REPORT = "Det finns inget signerat utlåtande att lägga in i RIS."
# The correction list holds reports the secretaries keyed for the radiologist to approve.
NO_REPORT_FOR_LIST = "Det finns inget signerat utlåtande att lägga på radiologens korr-lista."
NOT_BOOKED = (
    "Undersökningen är inte bokad i RIS: boka den och markera ”Bokad i RIS” som klart först."
)
# A booking ticked before 'booked' needed the accession (accession_rule): the exam in RIS is
# found by it, so nothing more is done on it until it is saved.
NO_ACCESSION = (
    "Bokningen saknar accessionsnummer: ange accessionsnumret från RIS innan fler steg "
    "markeras som klara."
)
NOT_KEYED = (
    "Utlåtandet är inte inlagt i RIS: lägg in det och markera ”Utlåtandet inlagt i RIS” "
    "som klart först."
)

# The step each step is done on in RIS. Not "report_keyed" on "exam_completed": where RIS takes
# a report before its exam is completed is the site's RIS setup, not a rule of the catch-up.
BUILDS_ON = {
    "exam_completed": "booked",
    "images_matched": "booked",
    "report_keyed": "booked",
    "correction_list": "report_keyed",
}


def step_blocker(
    step: str,
    *,
    has_exam: bool,
    pacs_status: str | None,
    report_state: str | None,
    done: Collection[str],
    has_accession: bool,
) -> str:
    """Why `step` cannot be ticked done for a case in this state; "" when it can.

    done: the steps whose latest tick is done; has_accession: a RIS accession is saved.
    """
    signed = report_state not in (None, "draft")
    if step == "exam_completed" and not has_exam:
        return NO_EXAM
    if step == "images_matched":
        if not has_exam:
            return NO_EXAM_IMAGES
        if only_on_modality(pacs_status):
            return IMAGES_NOT_IN_PACS
    if step == "report_keyed" and not signed:
        return NO_SIGNED_REPORT
    if step == "correction_list" and not signed:
        return NO_REPORT_FOR_LIST
    return _order_blocker(step, done, has_accession)


def _order_blocker(step: str, done: Collection[str], has_accession: bool) -> str:
    first = BUILDS_ON.get(step)
    if first is None:
        return ""
    if first not in done:
        return NOT_BOOKED if first == "booked" else NOT_KEYED
    return NO_ACCESSION if first == "booked" and not has_accession else ""


def undone_with(step: str, done: Collection[str]) -> list[str]:
    """The done steps that build on `step`, directly or not, in RIS order: undone with it."""
    later: list[str] = []
    under = {step}
    for other, first in BUILDS_ON.items():
        # BUILDS_ON is in RIS order, so a step's base is met before the step itself.
        if first in under:
            under.add(other)
            if other in done:
                later.append(other)
    return later
