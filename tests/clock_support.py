"""The laptop's clock set back during an outage (by hand, or by a time sync after running fast).

Rows written meanwhile carry earlier times than rows written before them. Every stamp the app
takes (utcnow, also as a column's default) reads this clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, tzinfo
from types import ModuleType

import pytest

from webapp.models import base


@contextmanager
def clock_set_back(hours: float = 1, *also: ModuleType) -> Iterator[None]:
    """Within the block, the app's clock runs `hours` behind the real one; `also`: modules that
    read datetime.now themselves (the backups' file names)."""

    class _Behind(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> datetime:  # type: ignore[override]
            return datetime.now(tz) - timedelta(hours=hours)

    with pytest.MonkeyPatch.context() as clock:
        for module in (base, *also):
            clock.setattr(module, "datetime", _Behind)
        yield
