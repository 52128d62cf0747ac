"""The ticks of an incident's log that no longer count, read from the entries' keys and order.

The log keeps every tick as made; the checklist counts them as step_states does. A tick taken
back by what came after it is shown as done then and not counting, with the time of what took
it back, so the log and the report's course do not read as if it still stood.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from ..checklist_keys import REVIEWER_PREFIX, stored_key
from ..models import IncidentLogEntry
from ..siteconfig import APP_STEP_KEYS


@dataclass(frozen=True)
class Uncounted:
    at: datetime
    # A change of scenario took it back (the new routine's ticks are made again); else the
    # undo of the systems working again (its follow-up is of a restore that did not stand).
    by_scenario: bool


def uncounted_ticks(
    entries: Iterable[IncidentLogEntry], follow_up: Collection[str]
) -> dict[int, Uncounted]:
    """The done ticks no longer counted, by entry id; `entries` in the order written.

    `follow_up`: the keys of the scenario's follow-up (its ticks count since the systems were
    last marked working again). What took a tick back first is named.
    """
    found: dict[int, Uncounted] = {}
    since_scenario: list[int] = []
    since_restore: list[int] = []
    for entry in entries:
        if entry.step_key == IncidentLogEntry.SCENARIO_CHANGE:
            for entry_id in since_scenario:
                found.setdefault(entry_id, Uncounted(entry.at, by_scenario=True))
            since_scenario.clear()
            since_restore.clear()
        elif entry.step_key == IncidentLogEntry.SYSTEMS_RESTORED:
            if not entry.is_done:
                for entry_id in since_restore:
                    found.setdefault(entry_id, Uncounted(entry.at, by_scenario=False))
            since_restore.clear()
        elif entry.is_done and entry.step_key not in APP_STEP_KEYS:
            key = stored_key(entry.step_key, entry.label)
            # The reviewer page counts its ticks whatever the scenario (step_states without
            # since_scenario).
            if key.startswith(REVIEWER_PREFIX):
                continue
            since_scenario.append(entry.id)
            if key in follow_up:
                since_restore.append(entry.id)
    return found
