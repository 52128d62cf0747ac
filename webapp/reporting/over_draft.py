"""A report keyed in (faxed, or from paper) over a radiologist's unsigned draft typed in the app.

The keyed report takes the draft's place, so whoever keys it in confirms it having been told
whose draft it is; the draft's text stays in the version history, where its author reads it
back on the reporting screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from ..models import RecordVersion, Report, utcnow
from ..models.report import SIGNING_KINDS, has_findings
from ..web import local_time
from .services import ReportError

# Shown on the form before anything is typed; the tick confirms it.
DRAFT_WARNING = {
    "fax": (
        "Ärendet har ett utkast till utlåtande skrivet i appen av %(name)s, senast sparat "
        "%(time)s. Det faxade utlåtandet ersätter utkastet; utkastets text finns kvar i "
        "ärendets historik."
    ),
    "paper": (
        "Ärendet har ett utkast till utlåtande skrivet i appen av %(name)s, senast sparat "
        "%(time)s. Utlåtandet från papper ersätter utkastet; utkastets text finns kvar i "
        "ärendets historik."
    ),
}
NOT_CONFIRMED = (
    "Bocka i Ersätt utkastet för att ersätta utkastet av %(name)s (senast sparat %(time)s)."
)
SAVED_AGAIN = (
    "Utkastet av %(name)s sparades igen %(time)s, efter det du bockade i. Läs det ovan och "
    "bocka i Ersätt utkastet på nytt om utlåtandet ska ersätta det."
)
# The version history's reason for the change, read on the case's history page.
REPLACED_REASON = {
    "fax": "Utkastet av %(name)s (senast sparat %(time)s) ersattes av ett faxat utlåtande.",
    "paper": "Utkastet av %(name)s (senast sparat %(time)s) ersattes av ett utlåtande från papper.",
}


@dataclass(frozen=True)
class TypedDraft:
    """The case's unsigned draft with text, as the form names it."""

    name: str
    saved: str
    version: int
    # With its date, for the audit log and the history, read on another day.
    saved_on: str

    def values(self) -> dict[str, object]:
        return {"name": self.name, "time": self.saved}


def _saved_at(at: datetime) -> str:
    """The time of the last save: the clock alone today, with the date on another day."""
    today = local_time(utcnow(), "%Y-%m-%d")
    day = local_time(at, "%Y-%m-%d")
    return local_time(at, "%H:%M") if day == today else local_time(at)


def typed_draft(report: Report | None) -> TypedDraft | None:
    """The report if it is a draft typed in the app with report text (None: nothing to lose).

    The referral's question, copied in when the editor opens, is no text of the radiologist's.
    """
    if report is None or report.state != "draft" or not has_findings(report.sections):
        return None
    return TypedDraft(
        report.author_name,
        _saved_at(report.updated_at),
        report.version,
        local_time(report.updated_at),
    )


class DraftInTheWay(ReportError):
    """A typed draft the keyed report would replace, not confirmed (or confirmed as it was
    before a later save)."""


def confirm_over_draft(report: Report | None, confirmed: int | None) -> TypedDraft | None:
    """The draft replaced (None: none with text); refused unless `confirmed`, the draft's version
    the form showed when the tick was given, is the draft's version now."""
    draft = typed_draft(report)
    if draft is None:
        return None
    if confirmed is None:
        raise DraftInTheWay(NOT_CONFIRMED, **draft.values())
    if confirmed != draft.version:
        raise DraftInTheWay(SAVED_AGAIN, **draft.values())
    return draft


def replaced_reason(draft: TypedDraft | None, source: str) -> str:
    """What the version history says of the change ("" when no typed draft was replaced)."""
    return REPLACED_REASON[source] % {"name": draft.name, "time": draft.saved_on} if draft else ""


@dataclass(frozen=True)
class ReplacedDraft:
    """A typed draft a report keyed in replaced: its text, and who keyed in what, when."""

    author: str
    sections: list[dict[str, Any]]
    entered_by: str
    entered_at: datetime
    signer: str


def replaced_draft(
    session: Session | scoped_session[Any], report: Report | None
) -> ReplacedDraft | None:
    """The last typed draft replaced by a report keyed in (faxed or from paper), or None.

    A keyed-in signature signs the version after the one it replaced, which the history kept.
    """
    if report is None:
        return None
    keyed = {
        s.report_version - 1: s
        for s in report.signatures
        if s.entered_by_id is not None and s.kind in SIGNING_KINDS
    }
    if not keyed:
        return None
    rows = session.execute(
        select(RecordVersion.version, RecordVersion.data)
        .where(
            RecordVersion.entity == "report",
            RecordVersion.entity_id == report.id,
            RecordVersion.version.in_(list(keyed)),
        )
        .order_by(RecordVersion.version.desc())
    ).all()
    for version, data in rows:
        sections = list(data.get("sections") or [])
        if data.get("state") == "draft" and has_findings(sections):
            signature = keyed[version]
            return ReplacedDraft(
                author=str(data.get("author_name") or ""),
                sections=sections,
                entered_by=signature.entered_by.display_name if signature.entered_by else "",
                entered_at=signature.signed_at,
                signer=signature.signer_name,
            )
    return None
