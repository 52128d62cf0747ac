"""What a catch-up page showed of a case: a tick sent from an older page is refused.

A secretary keys RIS from the page as it was opened. If the report is signed again or the
patient's identity is corrected meanwhile, a step ticked from that page would record as done
what RIS was given from the older text: nothing would reopen it, because the step was not yet
done when the change came. The page carries the versions it showed; a tick compares them.
"""

from __future__ import annotations

from ..cases.versions import shown_token

__all__ = ["STALE_PAGE", "shown_token"]

STALE_PAGE = (
    "Ärendet har ändrats sedan sidan öppnades (t.ex. utlåtandet eller patientens identitet). "
    "Steget är inte markerat: kontrollera uppgifterna nedan och lägg in dem i RIS igen."
)
