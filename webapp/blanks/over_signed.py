"""A report blank joined to a case whose report is already signed.

Its paper may hold a report written before the one signed in the app, or the same one: typed
in, it would be a second report. So whoever joins it is told before the tap and ticks to go
on (as a report keyed over a typed draft is, reporting/over_draft.py), and the case page says
that the blank is to be read for an addendum.

The blank is settled by an addendum signed after its (last) join, or by the radiologist's word
that it says what the signed report says (read_same.py). Until then the case page says so, and
the incident's close asks about it: after the end no addendum can be written here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, scoped_session

from ..models import AuditEvent, Case, Report
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
# The audit rows that order a join and an addendum (services.attach_blank, reporting/addenda).
JOIN_ACTION = "blank_attach"
ADDENDUM_ACTION = "report_addendum"


class SignedReportInTheWay(BlankError):
    """A report blank joined over a signed report without the tick that says it is known."""


def report_is_signed(report: Report | None) -> bool:
    """Whether the case's report has been signed (preliminary or definitive), not a draft."""
    return report is not None and report.state != "draft"


def joined_over_signed(session: Session | scoped_session[Any], case: Case) -> list[str]:
    """Codes of the case's report blanks joined when its report was already signed (set under
    the case's lock as the join was decided; a blank detached and joined again counts by its
    last join), and not settled since."""
    # The case page loads the blanks with the case (get_case_or_404's for_page).
    blanks = case.blanks  # type: ignore[attr-defined]
    joined = [(case.id, b.code) for b in blanks if b.joined_over_signed]
    return [code for _, code in unsettled(session, joined)]


def unsettled(
    session: Session | scoped_session[Any], joined: Iterable[tuple[int, str]]
) -> list[tuple[int, str]]:
    """Of these (case id, blank code) joined over a signed report, those with no addendum
    signed after the blank's last join.

    "After" by the audit trail's order, the one record of both: the code keeps no join time,
    and the two may share a timestamp (a fixed clock, or the same second).
    """
    joined = list(joined)
    if not joined:
        return []
    rows = session.execute(
        select(AuditEvent.id, AuditEvent.case_id, AuditEvent.action, AuditEvent.detail).where(
            AuditEvent.case_id.in_({case_id for case_id, _ in joined}),
            AuditEvent.action.in_((JOIN_ACTION, ADDENDUM_ACTION)),
        )
    ).all()
    left = []
    for case_id, code in joined:
        joins = [
            r.id
            for r in rows
            if r.case_id == case_id and r.action == JOIN_ACTION and f" {code} → " in r.detail
        ]
        # No join row at all (none is written without one): asked about rather than passed.
        last_join = max(joins, default=0)
        if not any(
            r.case_id == case_id and r.action == ADDENDUM_ACTION and r.id > last_join for r in rows
        ):
            left.append((case_id, code))
    return left
