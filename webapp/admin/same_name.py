"""A new user under a name a user of the site already has: most often the same person again.

Asked by the staff list (a line without its own username) and by the single add alike: a
second account for one person splits their reports and access-log rows between two names.
"""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import User

# Said beside the single add's name field; the tick below it goes on.
SAME_NAME_ASK = (
    "Det finns redan en användare med namnet (%(username)s). Är det en annan person, kryssa i "
    "rutan nedan."
)


def name_key(name: str) -> str:
    """A person's name as names are compared: case and spacing aside ("anna  EK" is "Anna Ek")."""
    return " ".join(name.split()).casefold()


def users_by_name(site_id: int, *, besides: int | None = None) -> dict[str, str]:
    """The site's users' names (name_key) to their usernames; besides: a user left out (the one
    being renamed)."""
    return {
        name_key(name): username
        for name, username in db.session.execute(
            select(User.display_name, User.username)
            .where(User.site_id == site_id, User.id != (besides or 0))
            .order_by(User.id)
        )
    }
