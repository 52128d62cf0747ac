"""Whether a page offers the external-reviewer, image-transfer and image-release routines.

Apart from the routines package, as reviewer_rule: the case page reads it too. A site without
one of them (no reviewer or release section, no hospital in another region to send to) is not
led to a form that cannot be filled in; an exchange, transfer or release made before the
routine was dropped stays reachable.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from .extensions import db
from .models import ImageRelease, ImageTransfer, ReviewerExchange
from .siteconfig_routines import RoutinesConfig


def _made_before(column: InstrumentedAttribute[int], value: int) -> bool:
    """Whether a row has the value in the column: work made under the routine before."""
    return bool(db.session.scalar(select(select(column).where(column == value).exists())))


def offers_reviewer(site_id: int, routines: RoutinesConfig) -> bool:
    """The site's reviewer routine, or a case it sent to the reviewer before."""
    return routines.has_reviewer or _made_before(ReviewerExchange.site_id, site_id)


def offers_case_reviewer(case_id: int, routines: RoutinesConfig) -> bool:
    """The site's reviewer routine, or this case sent to the reviewer before.

    Such a case may still await the reviewer's answer, which holds the close until it is
    logged on the case's reviewer page.
    """
    return routines.has_reviewer or _made_before(ReviewerExchange.case_id, case_id)


def offers_transfers(site_id: int, routines: RoutinesConfig) -> bool:
    """The site's transfer routine, or a transfer it holds from before."""
    return routines.has_transfer or _made_before(ImageTransfer.site_id, site_id)


def offers_releases(site_id: int, routines: RoutinesConfig) -> bool:
    """The site's release routine, or a release it holds from before."""
    return routines.has_release or _made_before(ImageRelease.site_id, site_id)


def offers_case_release(case_id: int, routines: RoutinesConfig) -> bool:
    """The site's release routine, or a release of this case from before."""
    return routines.has_release or _made_before(ImageRelease.case_id, case_id)
