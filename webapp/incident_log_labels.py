"""The incident log's own entries: each writer's Swedish template, and the entry as a page shows it.

The log stores an entry's label as written, in Swedish with its values filled in: paper and
exports print it so. A page in English reads the label back against its kind's templates, and
translates the template and fills in the values again; a label that none of them matches (one
written in earlier words) is shown as stored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from markupsafe import Markup, escape

from .i18n import gettext, in_swedish

NOTE = "Anteckning"
# %(old_scenario)s, %(new_scenario)s: the site's names of the scenarios.
SCENARIO_CHANGED = "Scenario ändrat: %(old_scenario)s → %(new_scenario)s"
RESTORED = "Systemen fungerar igen"
RESTORE_UNDONE = "Systemen fungerar igen – ångrat"
DEVIATION_SET = "Avvikelsenummer: %(new)s"
DEVIATION_CHANGED = "Avvikelsenummer ändrat: %(old)s → %(new)s"
DEVIATION_REMOVED = "Avvikelsenummer borttaget (var %(old)s)"
# %(started)s: the start given, local time.
DECLARED_LATE = "Registrerat i efterhand: driftstoppet började %(started)s"
MOVED_TO = "Ärende %(code)s flyttat till driftstopp %(number)s"
MOVED_TO_DRILL = "Ärende %(code)s flyttat till driftstopp %(number)s (övning)"
MOVED_FROM = "Ärende %(code)s flyttat hit från driftstopp %(number)s"
MOVED_FROM_DRILL = "Ärende %(code)s flyttat hit från driftstopp %(number)s (övning)"

# The reviewer page's "message sent" tick: %(name)s, the site's admin contact by its name; without
# one, the administrators. Written under the key of the notification the site ticks with it.
MESSAGE_SENT = "Meddelande skickat till %(name)s"
MESSAGE_SENT_TO_ADMINS = "Meddelande skickat till RIS/PACS-administratörerna"

# The note of an undone restore (its label is RESTORE_UNDONE): %(follow_up)s, the follow-up's
# items ticked before it, by the site's names.
FOLLOW_UP_VOID = "Uppföljningen räknas inte längre: %(follow_up)s"

# Each kind's templates by step_key (IncidentLogEntry's keys), read back in this order.
LOG_LABELS: dict[str, dict[str, str]] = {
    "note": {"note": NOTE},
    "scenario": {"changed": SCENARIO_CHANGED},
    "restored": {"restored": RESTORED, "undone": RESTORE_UNDONE},
    "deviation": {
        "set": DEVIATION_SET,
        "changed": DEVIATION_CHANGED,
        "removed": DEVIATION_REMOVED,
    },
    "declared": {"declared": DECLARED_LATE},
    "case_move": {
        "to_drill": MOVED_TO_DRILL,
        "to": MOVED_TO,
        "from_drill": MOVED_FROM_DRILL,
        "from": MOVED_FROM,
    },
}
# The labels the app writes under a key the site chose (a scenario's notification), read back
# by their words whatever the key; the one without a value first, as the other matches it too.
ANY_KEY_LABELS: dict[str, dict[str, str]] = {
    "message_sent": {"admins": MESSAGE_SENT_TO_ADMINS, "named": MESSAGE_SENT}
}
# The notes the app writes, by step_key; any other note is typed by staff.
LOG_NOTES: dict[str, dict[str, str]] = {"restored": {"void": FOLLOW_UP_VOID}}
# Values that are the site's own words (Swedish on a page in English too).
SITE_WORDS = frozenset({"old_scenario", "new_scenario", "follow_up", "name"})
# An incident's number is its row id: "driftstopp 4 (övning)" is no number "4 (övning)".
_VALUE_PATTERNS = {"number": r"\d+"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@cache
def _pattern(template: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(template)
    # split() alternates text and the names between: even places text, odd ones names.
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_VALUE_PATTERNS.get(part, '.+?')})"
        for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def read_label(
    step_key: str, label: str, kinds: Mapping[str, Mapping[str, str]] = LOG_LABELS
) -> tuple[str, dict[str, str]] | None:
    """The template a stored label (or with LOG_NOTES, note) was written from and its values;
    None if none of its kind's matches."""
    for template in kinds.get(step_key, {}).values():
        found = _pattern(template).fullmatch(label)
        if found:
            return template, found.groupdict()
    return None


def _filled(template: str, values: Mapping[str, str]) -> Markup:
    marked = {k: in_swedish(v) if k in SITE_WORDS else escape(v) for k, v in values.items()}
    return Markup(escape(gettext(template))) % marked if marked else escape(gettext(template))


def shown_label(step_key: str, label: str) -> Markup:
    """An entry's label in the page's language: the app's own read back and translated, any
    other (a site's checklist item, a label in earlier words) as stored, marked as Swedish."""
    read = read_label(step_key, label) or read_label("message_sent", label, ANY_KEY_LABELS)
    if read is None:
        return in_swedish(label)
    return _filled(*read)


def shown_note(step_key: str, note: str) -> Markup:
    """An entry's note in the page's language: the app's own translated, staff's as typed."""
    read = read_label(step_key, note, LOG_NOTES)
    if read is None:
        return in_swedish(note)
    return _filled(*read)
