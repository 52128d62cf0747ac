"""The error of an incident action the rules do not allow (shared by its services)."""

from __future__ import annotations

from ..refusal import Refused


class IncidentError(Refused):
    """An incident action that the rules do not allow."""
