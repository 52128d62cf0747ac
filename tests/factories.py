"""Plain factory functions with keyword overrides; call inside an app context."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from webapp.auth.services import create_user
from webapp.extensions import db
from webapp.models import Site, User

DEFAULT_PIN = "482915"


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    role: str
    site_id: int


def default_site() -> Site:
    site = db.session.scalar(select(Site).order_by(Site.id))
    assert site is not None
    return site


def make_user(
    *,
    role: str = "radiographer",
    username: str | None = None,
    pin: str = DEFAULT_PIN,
    display_name: str | None = None,
    site_id: int | None = None,
) -> UserInfo:
    """Create a user, or return the existing one of that username."""
    username = username or f"test-{role}"
    existing = db.session.scalar(select(User).where(User.username == username))
    if existing is not None:
        return UserInfo(existing.id, existing.username, existing.role, existing.site_id)
    user = create_user(
        site_id=site_id or default_site().id,
        username=username,
        display_name=display_name or f"Testa {role.capitalize()} Åström",
        role=role,
        secret=pin,
    )
    return UserInfo(user.id, user.username, user.role, user.site_id)
