"""The site's outage scenarios: what still works, the steps, whom to call, what to tell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import siteconfig_values as v
from .checklist_keys import MADE_HERE_TEXT, is_made_here
from .refusal import Message

# An incident's ticked step keeps the notification's key.
STEP_KEY_LENGTH = 60
# The incident log's own entries (a note, a change of scenario, the systems working again, the
# deviation report's number, a start given at the declaration, a case moved in or out) share
# the column: an item keyed so would be read as one, and unticking it would undo the systems'
# restore mark.
APP_STEP_KEYS = ("note", "scenario", "restored", "deviation", "declared", "case_move")
SCENARIO_KEYS = (
    "name",
    "still_works",
    "ris_works",
    "steps",
    "calls",
    "notifications",
    "follow_up",
)


@dataclass(frozen=True)
class Notification:
    key: str
    label: str


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    still_works: tuple[str, ...] = ()
    # Said outright, not read from still_works (free text): a release of images made while RIS
    # works, of a case booked there, is written in its referral notes at once and not tracked.
    # Left out, RIS is down.
    ris_works: bool = False
    steps: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()
    notifications: tuple[Notification, ...] = ()
    # Made once the systems work again (the routine's "Uppföljning", e.g. telling TiB).
    follow_up: tuple[Notification, ...] = ()


def _app_key(key: str, item: Message) -> bool:
    """Whether a checklist item takes a key of the log's own (refused; left out when relaxed)."""
    if key in APP_STEP_KEYS:
        v.rule(
            "%(item)s: nyckeln %(key)s används av programmet självt; välj en annan nyckel.",
            item=item,
            key=key,
        )
        return True
    # The routine's steps and the reviewer's checklist are ticked in the same log under keys
    # the app makes: one configured so would be ticked by (and read as) another.
    if is_made_here(key):
        v.rule(
            "%(item)s: nyckeln %(key)s har samma form som programmets egna nycklar för rutinens "
            "steg och granskarens checklista (%(keys)s); välj en annan nyckel.",
            item=item,
            key=key,
            keys=MADE_HERE_TEXT,
        )
        return True
    return False


# How a list's item is named in a refusal: by its key, by its number, and the list as a whole.
_NOTIFICATION_WORDS = (
    '%(where)s, avisering "%(key)s"',
    "%(where)s, avisering %(i)s",
    "I %(where)s finns aviseringen",
)
_FOLLOW_UP_WORDS = (
    '%(where)s, uppföljning "%(key)s"',
    "%(where)s, uppföljning %(i)s",
    "I %(where)s finns uppföljningen",
)


def _checklist(
    s: dict[str, Any], name: str, where: Message, words: tuple[str, str, str]
) -> list[Notification]:
    """A scenario's list of items to tick (its notifications, its follow-up), each checked."""
    by_key, by_number, the_list = words
    found = []
    for i, n in enumerate(v.tables(s, name, where), start=1):
        item = v.block_where(n, "key", i, by_key, by_number, where=where)
        v.known(n, ("key", "label"), item)
        step = Notification(
            v.text(n, "key", item, required=True, max_length=STEP_KEY_LENGTH),
            v.text(n, "label", item, required=True),
        )
        if not _app_key(step.key, item):
            found.append(step)
    v.unique((n.key for n in found), Message(the_list, {"where": where}))
    return found


def parse_scenarios(raw: dict[str, Any]) -> dict[str, Scenario]:
    """The [scenarios.*] tables, checked: what still works, what to do and whom to call."""
    found: dict[str, Scenario] = {}
    for key, s in v.table(raw, "scenarios", "[scenarios]").items():
        where = Message("scenariot %(key)s", {"key": key})
        if not isinstance(s, dict):
            raise v.ConfigValueError(
                "%(where)s ska vara en tabell, [scenarios.%(key)s].", where=where, key=key
            )
        v.known(s, SCENARIO_KEYS, where)
        # An incident stores its scenario and, as its title, the scenario's name.
        v.longest(key, 40, Message("[scenarios.%(key)s]: namnet efter scenarios.", {"key": key}))
        notifications = _checklist(s, "notifications", where, _NOTIFICATION_WORDS)
        follow_up = _checklist(s, "follow_up", where, _FOLLOW_UP_WORDS)
        # Both are ticked through one list of steps: a shared key would tick both at once.
        shared = sorted({n.key for n in notifications} & {n.key for n in follow_up})
        if shared:
            raise v.ConfigValueError(
                "I %(where)s har en avisering och en uppföljning samma nyckel %(key)s; "
                "nycklarna ska vara unika.",
                where=where,
                key=shared[0],
            )
        found[key] = Scenario(
            key=key,
            name=v.text(s, "name", where, required=True, max_length=200),
            still_works=v.texts(s, "still_works", where),
            ris_works=v.flag(s, "ris_works", where),
            # Ticked on the incident's page, each by its text.
            steps=v.ticked_once(
                v.texts(s, "steps", where), Message("%(where)s: steps", {"where": where})
            ),
            calls=v.texts(s, "calls", where),
            notifications=tuple(notifications),
            follow_up=tuple(follow_up),
        )
    return found
