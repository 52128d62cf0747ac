"""A report blank joined to a case whose report is already signed.

Its paper may hold a report written before the one signed in the app, or the same one: typed
in, it would be a second report. So whoever joins it is told before the tap and ticks to go
on (as a report keyed over a typed draft is, reporting/over_draft.py), and the case page says
that the blank is to be read for an addendum.
"""

from __future__ import annotations

from ..models import Case, Report
from .errors import BlankError

# Shown beside the case on the attach page before the tap; the tick confirms it.
OVER_SIGNED_WARNING = (
    "Ärendet har redan ett signerat utlåtande. Utlåtandeblanketten förs inte in som ett andra "
    "utlåtande: skiljer den sig från det signerade skriver radiologen ett tillägg."
)
OVER_SIGNED_NOT_CONFIRMED = (
    "Bocka i Koppla ändå för att koppla utlåtandeblanketten till ärende %(code)s, vars "
    "utlåtande redan är signerat."
)


# The end of the join's audit detail when the report was signed by then.
JOINED_OVER_SIGNED = " (utlåtandet redan signerat)"


class SignedReportInTheWay(BlankError):
    """A report blank joined over a signed report without the tick that says it is known."""


def report_is_signed(report: Report | None) -> bool:
    """Whether the case's report has been signed (preliminary or definitive), not a draft."""
    return report is not None and report.state != "draft"


def joined_over_signed(case: Case) -> list[str]:
    """Codes of the case's report blanks joined when its report was already signed (set under
    the case's lock as the join was decided; a blank detached and joined again counts by its
    last join)."""
    # The case page loads the blanks with the case (get_case_or_404's for_page).
    blanks = case.blanks  # type: ignore[attr-defined]
    return [b.code for b in blanks if b.joined_over_signed]
