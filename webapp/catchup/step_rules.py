"""What each catch-up step needs to have happened in Reservrutin before it is ticked done.

A tick tells everyone that RIS or PACS now holds something: an exam completed, images matched,
a report on the radiologist's correction list. Ticked with nothing behind it in the case, the
case would read as reconciled while RIS holds an empty exam, and the paper still to be typed
in (a documentation or report blank) would look done. The case page offers such a step
disabled with the reason beside it; the tick service refuses it whatever the page showed.
"""

from __future__ import annotations

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


def step_blocker(
    step: str, *, has_exam: bool, pacs_status: str | None, report_state: str | None
) -> str:
    """Why `step` cannot be ticked done for a case in this state; "" when it can."""
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
    return ""
