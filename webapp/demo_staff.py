"""The demo's users: created with a PIN drawn for the run (or given), never one known in advance.

Drills run on the department's real laptop, beside real outages: a fixed demo PIN would give
anyone who had read it an administrator's login for good. A user an earlier run created keeps
the PIN it was given then, and the summary says so rather than showing the new one.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from . import demo_data as data
from .auth.accounts import create_user
from .auth.passwords import SHORTEST_SECRET, validate_secret
from .extensions import db
from .models import User


@dataclass(frozen=True)
class DemoStaff:
    """The demo users by role, and which of them this run created with its PIN."""

    users: dict[str, list[User]]
    created: frozenset[str]
    pin: str
    # No active administrator of the site but the demo's: the department cannot manage its
    # own users without demo-admin, and the setup page that would have let it is gone.
    only_demo_admin: bool = False


def new_demo_pin() -> str:
    """A random PIN as short as a PIN may be, drawn again until it meets the rules."""
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(SHORTEST_SECRET))
        if validate_secret(pin, "pin") is None:
            return pin


def ensure_staff(site_id: int, pin: str | None = None) -> DemoStaff:
    """Create the demo users that are missing, with `pin` or a drawn one; reuse the rest."""
    if pin is None:
        pin = new_demo_pin()
    else:
        # Checked before any user is made: users already there would otherwise hide a bad one.
        problem = validate_secret(pin, "pin")
        if problem:
            raise ValueError(problem)
    users: dict[str, list[User]] = {}
    created = set()
    for spec in data.DEMO_STAFF:
        user = db.session.scalar(select(User).where(User.username == spec.username))
        if user is None:
            user = create_user(
                site_id=site_id,
                username=spec.username,
                display_name=spec.display_name,
                role=spec.role,
                secret=pin,
            )
            created.add(spec.username)
        users.setdefault(spec.role, []).append(user)
    return DemoStaff(
        users=users,
        created=frozenset(created),
        pin=pin,
        only_demo_admin=not has_own_admin(site_id),
    )


def has_own_admin(site_id: int) -> bool:
    """Whether the site has an active administrator that is not one of the demo's users."""
    demo_names = [spec.username for spec in data.DEMO_STAFF]
    own = db.session.scalar(
        select(User.id)
        .where(
            User.site_id == site_id,
            User.role == "admin",
            User.is_active.is_(True),
            User.username.not_in(demo_names),
        )
        .limit(1)
    )
    return own is not None


def login_lines(staff: list[data.StaffSpec], created: frozenset[str], pin: str) -> list[str]:
    """The summary's logins: the run's PIN once, if it made anyone; the others keep theirs."""
    header = (
        f"Inloggning (PIN {pin} för nya användare, visas bara nu):" if created else ("Inloggning:")
    )
    return [
        header,
        *(
            f"  {s.username:<12} {s.role:<13} {s.display_name}"
            + ("" if s.username in created else " (PIN oförändrad)")
            for s in staff
        ),
    ]


def only_admin_lines() -> list[str]:
    """The warning when demo-admin is the site's only administrator, and the two ways out."""
    # The setup page is offered only while the laptop has no user at all (a stranger must never
    # make an administrator beside the department's); the demo's users close it for good.
    return [
        "Varning: demo-admin är enhetens enda administratör, och sidan för den första "
        "administratören (/setup) visas inte längre. Skapa enhetens egen administratör "
        "(byt NAMN och PIN):",
        '  flask --app app create-user NAMN --role admin --pin PIN --name "För- och efternamn"',
        "  eller logga in som demo-admin och lägg till den under Administration → Användare.",
    ]
