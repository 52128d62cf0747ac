"""The error of a binder-code action the rules do not allow (shared by the blanks' services)."""

from __future__ import annotations

from ..refusal import Refused


class BlankError(Refused):
    """A binder-code action the rules do not allow."""
