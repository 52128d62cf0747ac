"""A keyed-in report over a keyed preliminary report its keyer never saw.

Two secretaries keying two faxes of the same case: the second save would replace a report that
arrived after its form was opened. A preliminary keyed report is followed by a later one (the
definitive, or a corrected preliminary), so replacing it is allowed, but only once the keyer
has been told whose it is and ticked to replace it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cases.versions import ANY_VERSION, ShownVersion
from ..models import Report
from ..web import local_time
from .services import ReportError

KEYED_SINCE = (
    "Sedan formuläret öppnades har ett preliminärt utlåtande av %(name)s förts in av %(by)s "
    "%(time)s. Läs det på ärendets sida och bocka i Ersätt det preliminära utlåtandet om ditt "
    "ska ersätta det."
)
KEYED_AGAIN = (
    "Det preliminära utlåtandet ändrades igen efter det du bockade i: nu av %(name)s, infört av "
    "%(by)s %(time)s. Bocka i Ersätt det preliminära utlåtandet på nytt om ditt ska ersätta det."
)


@dataclass(frozen=True)
class ReportShown:
    """The report version the form was drawn against (ANY_VERSION: a post from no page of
    this app, not checked), and the version its tick confirmed replacing (None: no tick)."""

    drawn: ShownVersion = ANY_VERSION
    confirmed: int | None = None


class KeyedSinceShown(ReportError):
    """A keyed preliminary report entered after the form was drawn, not confirmed."""


def keyed_since(report: Report | None, drawn: ShownVersion) -> Report | None:
    """The case's keyed preliminary report if it is not the version the form was drawn
    against (None: nothing unseen to replace)."""
    if drawn is ANY_VERSION or report is None:
        return None
    if report.state != "preliminary" or report.entered_by_id is None:
        return None  # none, a draft (over_draft.py) or refused whole (faxed.report_refusal)
    return None if report.version == drawn else report


def keyed_values(report: Report) -> dict[str, object]:
    """Who wrote and who keyed in the report, and when: the warning's words."""
    by = report.entered_by.display_name if report.entered_by is not None else ""
    return {"name": report.author_name, "by": by, "time": local_time(report.updated_at)}


def confirm_over_keyed(report: Report | None, shown: ReportShown | None) -> None:
    """Refuse replacing a keyed preliminary report the form never showed, unless its tick was
    given for the version there now."""
    if shown is None:
        return
    unseen = keyed_since(report, shown.drawn)
    if unseen is None or shown.confirmed == unseen.version:
        return
    message = KEYED_SINCE if shown.confirmed is None else KEYED_AGAIN
    raise KeyedSinceShown(message, **keyed_values(unseen))
