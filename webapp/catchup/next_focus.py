"""Where the catch-up page puts the focus when it comes back from an action: the next thing to do.

The secretaries key hundreds of cases from a desk after an outage, one after another, at the
keyboard. Each tick reloads the page; focused at its top again, every step would cost a walk
of Tabs through the copy buttons. The server chooses the control and the page marks it
`autofocus`, so this works with JavaScript off too.

Opened from a scan (or the batch, or a link) the page focuses nothing: the secretary reads the
paper and the page first, and Tab starts at the top, through the copy buttons in RIS order.
Only controls are chosen, never a text field: focused unasked, it would pop up a tablet's
keyboard over the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Protocol

# The page's address after an action (?focus=next): what the redirect of a tick, an untick,
# a RIS save or a check names.
FOCUS_ARG = "focus"
FOCUS_NEXT = "next"
# The id of the link to the scan station beside the steps, once none is left to tick.
SCAN_NEXT = "scan-next"
# The id of the box that confirms a preliminary report is keyed as such (beside its step).
CONFIRM_PRELIMINARY = "confirm-preliminary"
# The id of a refused check's refusal, beside the check against the paper.
CHECK_REFUSED = "verify-error"


class _Tick(Protocol):
    is_done: bool


def tick_id(step: str) -> str:
    """The id of a step's control (its tick button, or the summary that asks before undoing)."""
    return f"tick-{step}"


def note_id(step: str) -> str:
    """The id of the note beside a step: why it was refused, or what it needs first."""
    return f"step-{step}-note"


def steps_open(*, is_locked: bool, status: str, is_waived: bool) -> bool:
    """Whether the page offers the steps to tick (they are disabled otherwise)."""
    return not is_locked and status != "cancelled" and not is_waived


def first_unticked(steps: Iterable[str], ticks: Mapping[str, _Tick | None]) -> str | None:
    """The first step, in RIS order, not ticked done."""
    for step in steps:
        tick = ticks.get(step)
        if tick is None or not tick.is_done:
            return step
    return None


def focus_target(
    *,
    after_action: bool,
    is_locked: bool,
    is_open: bool,
    next_step: str | None,
    refused_step: str = "",
    refused_blocked: bool = False,
    unconfirmed: bool = False,
    ris_refused: bool = False,
    check_refused: bool = False,
) -> str:
    """The id of the element to focus as the page opens; "" for none.

    is_open: the steps can be ticked (steps_open); next_step: first_unticked's answer.
    refused_step: the step whose tick was refused beside it; refused_blocked: that step is
    offered disabled (step_rules), so its refusal takes the focus; unconfirmed: refused for want of
    the box that confirms a preliminary report; ris_refused: the RIS numbers' form was refused
    (app.js then focuses its error summary, which links to the field); check_refused: the
    check against the paper was refused, its refusal beside it.
    """
    if is_locked:
        # The incident has ended: nothing can be done here, and the page's top says so.
        return ""
    if ris_refused:
        return ""
    if check_refused:
        return CHECK_REFUSED
    if refused_step:
        # Described by the refusal beside it; a disabled control cannot take the focus, so the
        # refusal itself does. Refused for want of the box that confirms a preliminary report,
        # the box is what to act on: focused on the step, it would be one Shift+Tab back.
        if not is_open or refused_blocked:
            return note_id(refused_step)
        return CONFIRM_PRELIMINARY if unconfirmed else tick_id(refused_step)
    if not after_action:
        return ""
    if is_open and next_step is not None:
        return tick_id(next_step)
    return SCAN_NEXT
