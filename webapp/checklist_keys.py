"""Keys of the routines' checklist items that stay with the item when the configuration changes.

The admin may edit the site configuration while an outage runs. A tick keyed by the item's
place in its list would then show against whichever item took that place: a step shown as
done that nobody did. A key made from the item's text stays with the text, and a tick whose
text is gone is shown as such (the tick keeps the label it was made with).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

# The incident log and the transfer checks keep this much of a tick's label; the key is made
# from the same part, so a stored tick's label gives back its key.
LABEL_LENGTH = 300
STEP_PREFIX = "step:"
REVIEWER_PREFIX = "reviewer:"
# The reviewer page's tick of the message to the RIS/PACS administrators when the site's reviewer
# routine names no notification it is (its admin_notification): of the form made here, so no
# configured item takes it.
REVIEWER_MESSAGE_KEY = REVIEWER_PREFIX + "admin_message"
# The keys made here, and those made before by the item's place ("step3", "reviewer_0"): a
# notification keyed so in the configuration would be ticked by, and read as, one of them.
# The "Ring nu" contacts have no tick (their call is ticked as a notification): "call_…" is free.
_MADE_HERE = re.compile(r"step(\d+|:.*)|reviewer(_\d+|:.*)", re.DOTALL)
_BY_PLACE = re.compile(r"(step|reviewer_)\d+")
MADE_HERE_TEXT = "step…, reviewer_…, reviewer:…"


def text_key(text: str) -> str:
    """The key of a checklist item: made from its text (as far as a tick's label keeps it)."""
    return hashlib.sha256(text[:LABEL_LENGTH].encode("utf-8")).hexdigest()[:12]


def keyed(prefix: str, texts: Iterable[str]) -> dict[str, str]:
    """The items by key; an item listed twice is one item (a tick is of its text)."""
    found: dict[str, str] = {}
    for text in texts:
        found.setdefault(prefix + text_key(text), text)
    return found


def is_made_here(key: str) -> bool:
    """Whether a configured key looks like one made for the steps or the reviewer."""
    return _MADE_HERE.fullmatch(key) is not None


def stored_key(step_key: str, label: str) -> str:
    """The key a stored tick counts for.

    Ticks stored before the keys were made from the text carry the item's place ("step3",
    "reviewer_0"); their label says which item they were made for.
    """
    place = _BY_PLACE.fullmatch(step_key)
    if place is None:
        return step_key
    prefix = STEP_PREFIX if place[1] == "step" else REVIEWER_PREFIX
    return prefix + text_key(label)
