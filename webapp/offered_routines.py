"""Whether a page offers the image-transfer and image-release routines.

Apart from the routines package, as reviewer_rule: the case page reads it too. A site without
one of them (no hospital in another region to send to, no release section) is not led to a
form that cannot be filled in; a transfer or release made before the routine was dropped
stays reachable.
"""

from __future__ import annotations

from sqlalchemy import select

from .extensions import db
from .models import ImageRelease, ImageTransfer
from .siteconfig_routines import RoutinesConfig


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
