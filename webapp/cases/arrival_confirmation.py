"""The box on a referral's form that confirms an arrival long before its incident.

The service asks (ArrivalBeforeIncident, arrival_bound_rule): the form cannot know the incident
a new referral opens in. The refused page says why beside the arrival and draws the box empty;
a tick counts only for the arrival the page asked about, so one given before the arrival was
typed over is asked about again, for the arrival as it is then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wtforms import BooleanField, HiddenField

from ..arrival_bound_rule import CONFIRM_LABEL
from ..arrival_rule import to_minute
from .patient_forms import NOT_DRAFTED


class ArrivalConfirmation:
    """A referral form's box confirming its arrival, and the arrival it was asked for."""

    arrived_at: Any
    arrival_confirmed = BooleanField(CONFIRM_LABEL, render_kw=NOT_DRAFTED)
    arrival_confirmed_for = HiddenField(render_kw=NOT_DRAFTED)

    def typed_arrival(self) -> str:
        """The arrival as read from the form (UTC, to the minute), "" if none is."""
        data = self.arrived_at.data
        if not isinstance(data, datetime):
            return ""
        return to_minute(data).astimezone(UTC).isoformat(timespec="minutes")

    @property
    def arrival_confirmed_now(self) -> bool:
        """Whether the box is ticked for the arrival sent, as the page that asked drew it."""
        typed = self.typed_arrival()
        return (
            bool(self.arrival_confirmed.data)
            and bool(typed)
            and self.arrival_confirmed_for.data == typed
        )

    def asks_arrival_confirmation(self) -> bool:
        """Whether the page draws the box: asked for this arrival, or ticked."""
        typed = self.typed_arrival()
        asked = bool(typed) and self.arrival_confirmed_for.data == typed
        return asked or bool(self.arrival_confirmed.data)

    def ask_arrival_confirmation(self, message: str) -> None:
        """The service's question said beside the arrival, the box drawn empty for it."""
        self.arrived_at.errors = [*self.arrived_at.errors, message]
        self.arrival_confirmed.data = False
        self.arrival_confirmed_for.data = self.typed_arrival()
