"""Users and their server-side sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow
from .site import Site

ROLES = ("radiographer", "radiologist", "secretary", "admin")


class User(db.Model):  # type: ignore[name-defined]
    """A member of staff who logs in with a PIN or a password."""

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    secret_hash: Mapped[str] = mapped_column(String(200))
    secret_kind: Mapped[str] = mapped_column(String(10), default="pin")
    # Set when an admin chose the secret: its user picks their own at the next login, so no
    # one else knows the PIN that signs their reports.
    secret_temporary: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(default=True)
    language: Mapped[str] = mapped_column(String(5), default="sv")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    site: Mapped[Site] = relationship()


class UserSession(db.Model):  # type: ignore[name-defined]
    """A login; revoked on logout or idle timeout so a copied cookie stops working."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    remote_addr: Mapped[str | None] = mapped_column(String(64))

    user: Mapped[User] = relationship()


class FailedLogin(db.Model):  # type: ignore[name-defined]
    """Failed attempts counted toward a lockout (auth/lockout.py), one row per key.

    A username at one client address (an account's: its id and the address; a name no account
    has: a keyed digest of name and address, as what was typed may be a PIN), or an address at
    every username. So the login page answers an unknown name exactly as a real one, lock
    included. Beside an address's count, one row per site whose accounts it failed at, with
    the count's times: whose admins see and lift its lock. A row is deleted once its count and
    lock are over.
    """

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
