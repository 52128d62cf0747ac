"""A case's image transfers, as its page lists them.

Apart from the routines package, as offered_routines: the case page reads it, and the routines'
views read the case package.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .access import rule_for
from .extensions import db
from .models import Case, ImageTransfer
from .routines.labels import DIRECTION_LABELS, OUTCOME_LABELS, ROUTE_LABELS, TRANSFER_STATUS_LABELS
from .siteconfig_routines import RoutinesConfig


@dataclass(frozen=True)
class CaseTransfer:
    """One transfer of the case: where it goes, its state and its latest try (Swedish labels,
    translated by the page)."""

    id: int
    direction: str
    counterpart_name: str
    status: str
    # Not ended yet: the other side may still wait for (or send) the images.
    is_open: bool = False
    # Open, and its latest try failed: someone has to try another route.
    is_failing: bool = False
    # The latest try ("" when none was logged yet): its route, via which region, outcome, time.
    route: str = ""
    via_region: str = ""
    outcome: str = ""
    tried_at: datetime | None = None


def shows_case_transfers(role: str, routines: RoutinesConfig) -> bool:
    """Whether the case page lists transfers: the site's routine, to whom the transfer list is
    open (its view's own access rule)."""
    if not routines.has_transfer:
        return False
    view = current_app.view_functions.get("routines.transfer_list")
    rule = rule_for(view) if view else None
    return rule is not None and role in rule.roles


def case_transfers(case: Case) -> list[CaseTransfer]:
    """The case's transfers, open first and newest first, with their tries in one query."""
    rows = db.session.scalars(
        select(ImageTransfer)
        .where(ImageTransfer.case_id == case.id, ImageTransfer.site_id == case.site_id)
        .options(joinedload(ImageTransfer.attempts))
        .order_by(
            ImageTransfer.status != "open", ImageTransfer.created_at.desc(), ImageTransfer.id.desc()
        )
    ).unique()
    out = []
    for transfer in rows:
        last = transfer.attempts[-1] if transfer.attempts else None
        out.append(
            CaseTransfer(
                id=transfer.id,
                direction=DIRECTION_LABELS[transfer.direction],
                counterpart_name=transfer.counterpart_name,
                status=TRANSFER_STATUS_LABELS[transfer.status],
                is_open=transfer.status == "open",
                is_failing=transfer.status == "open"
                and last is not None
                and last.outcome == "failed",
                route=ROUTE_LABELS[last.route] if last else "",
                via_region=last.via_region if last else "",
                outcome=OUTCOME_LABELS[last.outcome] if last else "",
                tried_at=last.at if last else None,
            )
        )
    return out
