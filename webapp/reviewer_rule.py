"""Whether a case sent to the external reviewer still waits for the reviewer's answer.

Apart from the routines package, as call_rule: the board and the closing checks read it.

The referral went out by fax and no report has come back, nor been signed here instead (the
reviewer never answered, and a radiologist here reported the exam). After the incident ends
the answer can no longer be logged in the app, so a case reconciled meanwhile (a waiver) holds
the close until it comes. A cancelled case is the caller's to leave out.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, select

from .extensions import db
from .models import Case, Report, ReviewerExchange, ReviewerLogEntry

AWAITS_REVIEWER = "Väntar på extern granskare"
# What the closing check and the batch's tasks say: read away from the case.
AWAITS_REVIEWER_TASK = (
    "Svaret från extern granskare har inte kommit: logga det på ärendets sida för extern "
    "granskning när det kommer (efter avslutet kan det inte loggas), eller låt en radiolog här "
    "skriva och signera utlåtandet."
)


def awaits_reviewer_clause() -> ColumnElement[bool]:
    """Faxed to the reviewer, no report received and none signed here; correlated with Case."""
    sent = (
        select(ReviewerExchange.id)
        .join(ReviewerLogEntry, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .where(
            ReviewerExchange.case_id == Case.id,
            ReviewerExchange.report_received_at.is_(None),
            ReviewerLogEntry.kind == "fax_sent",
        )
        .correlate(Case)
        .exists()
    )
    signed = (
        select(Report.id)
        .where(Report.case_id == Case.id, Report.state.in_(("preliminary", "definitive")))
        .correlate(Case)
        .exists()
    )
    return and_(Case.status != "cancelled", sent, ~signed)


def cases_awaiting_reviewer(incident_id: int) -> list[int]:
    """The incident's cases for which `awaits_reviewer_clause` holds.

    Read from the reviewer exchanges, a handful an outage: asked of each of the board's cases
    in its statement, the clause cost a sixth of the board's time.
    """
    return list(
        db.session.scalars(
            select(Case.id)
            .select_from(ReviewerExchange)
            .join(Case, Case.id == ReviewerExchange.case_id)
            .where(Case.incident_id == incident_id, awaits_reviewer_clause())
            .distinct()
        )
    )


def awaited_since(case_id: int) -> datetime | None:
    """When the case's referral was last faxed to the reviewer, if the case still awaits the
    answer (`awaits_reviewer_clause`); None otherwise."""
    return db.session.scalar(
        select(func.max(ReviewerLogEntry.at))
        .join(ReviewerExchange, ReviewerLogEntry.exchange_id == ReviewerExchange.id)
        .join(Case, Case.id == ReviewerExchange.case_id)
        .where(Case.id == case_id, ReviewerLogEntry.kind == "fax_sent", awaits_reviewer_clause())
    )
