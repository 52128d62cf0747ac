"""Where a user is logged in, and ending those logins (a lost tablet, someone who left)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..audit import log_event
from ..cases.submissions import NOT_SENT, SentOnce, SubmitResult
from ..extensions import db
from ..models import User, UserSession, utcnow
from .accounts import USER_NOT_HERE


@dataclass(frozen=True)
class LiveLogin:
    """One tablet or computer a user is logged in on."""

    id: int
    remote_addr: str
    created_at: datetime
    last_seen_at: datetime


def _live(idle_minutes: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    # A session idle past the timeout is refused on its next request even before it is marked
    # revoked, so it is no longer a place the user is logged in.
    since = utcnow() - timedelta(minutes=idle_minutes)
    return UserSession.revoked_at.is_(None), UserSession.last_seen_at > since


def live_logins(user_id: int, idle_minutes: int) -> list[LiveLogin]:
    """The user's logins that still work, the most recently used first."""
    rows = db.session.execute(
        select(
            UserSession.id,
            UserSession.remote_addr,
            UserSession.created_at,
            UserSession.last_seen_at,
        )
        .where(UserSession.user_id == user_id, *_live(idle_minutes))
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    return [LiveLogin(r[0], r[1] or "", r[2], r[3]) for r in rows]


def live_login_counts(site_id: int, idle_minutes: int) -> dict[int, int]:
    """How many working logins each user of the site has (users without any are left out)."""
    rows = db.session.execute(
        select(UserSession.user_id, func.count(UserSession.id))
        .join(User, User.id == UserSession.user_id)
        .where(User.site_id == site_id, *_live(idle_minutes))
        .group_by(UserSession.user_id)
    ).all()
    return {user_id: count for user_id, count in rows}


def end_logins(
    user_id: int,
    actor: User,
    idle_minutes: int,
    keep_session_id: int | None = None,
    sent: SentOnce = NOT_SENT,
) -> int | SubmitResult:
    """End every login of a user (an admin's act, logged); returns how many still worked.

    Logins idle past the timeout end too, but are not counted: they no longer worked, and the
    admin was not shown them. keep_session_id: the admin's own login, when they end their own
    other logins. The same form sent again ends nothing more and returns the first one's
    stored result.
    """
    now = utcnow()
    since = now - timedelta(minutes=idle_minutes)

    def write(session: Session) -> int:
        user = session.get(User, user_id)
        if user is None or user.site_id != actor.site_id:
            # The view's check is one guard; the write refuses too, whoever calls it.
            raise ValueError(USER_NOT_HERE)
        query = select(UserSession).where(
            UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
        )
        if keep_session_id is not None:
            query = query.where(UserSession.id != keep_session_id)
        ended = session.scalars(query).all()
        live = sum(1 for login in ended if login.last_seen_at > since)
        for login in ended:
            login.revoked_at = now
            login.revoked_reason = "admin"
        counted = "1 inloggning" if live == 1 else f"{live} inloggningar"
        log_event("sessions_end", user=actor, detail=f"{user.username}: {counted}")
        return live

    return sent.store(actor.id, "sessions_end", write, ValueError)
