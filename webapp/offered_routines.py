"""Whether a page offers the external-reviewer, image-transfer and image-release routines.

Apart from the routines package, as reviewer_rule: the case page reads it too. A site without
one of them (no reviewer or release section, no hospital in another region to send to) is not
led to a form that cannot be filled in; an exchange, transfer or release made before the
routine was dropped stays reachable.
"""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import ImageRelease, ImageTransfer, ReviewerExchange
from .siteconfig_routines import RoutinesConfig


def offers_reviewer(site_id: int, routines: RoutinesConfig) -> bool:
    """The site's reviewer routine, or a case it sent to the reviewer before."""
    if routines.has_reviewer:
        return True
    made = select(ReviewerExchange.id).where(ReviewerExchange.site_id == site_id).exists()
    return bool(db.session.scalar(select(made)))


def offers_case_reviewer(case_id: int, routines: RoutinesConfig) -> bool:
    """The site's reviewer routine, or this case sent to the reviewer before.

    Such a case may still await the reviewer's answer, which holds the close until it is
    logged on the case's reviewer page.
    """
    if routines.has_reviewer:
        return True
    made = select(ReviewerExchange.id).where(ReviewerExchange.case_id == case_id).exists()
    return bool(db.session.scalar(select(made)))


def offers_transfers(site_id: int, routines: RoutinesConfig) -> bool:
    """The site's transfer routine, or a transfer it holds from before."""
    if routines.has_transfer:
        return True
    made = select(ImageTransfer.id).where(ImageTransfer.site_id == site_id).exists()
    return bool(db.session.scalar(select(made)))


def offers_releases(site_id: int, routines: RoutinesConfig) -> bool:
    """The site's release routine, or a release it holds from before."""
    if routines.has_release:
        return True
    made = select(ImageRelease.id).where(ImageRelease.site_id == site_id).exists()
    return bool(db.session.scalar(select(made)))


def offers_case_release(case_id: int, routines: RoutinesConfig) -> bool:
    """The site's release routine, or a release of this case from before."""
    if routines.has_release:
        return True
    made = select(ImageRelease.id).where(ImageRelease.case_id == case_id).exists()
    return bool(db.session.scalar(select(made)))
