"""Whether a case stands as booked in RIS with no RIS accession recorded.

'Booked' has needed the accession since the rule in catchup/ris_numbers.py, but a database from
before it may hold such a tick. Without its accession the downtime case cannot be matched to
its exam in RIS: the case is flagged, and the incident does not end on it.

Kept out of the catch-up package: the closing checks would otherwise import it, views and all.
One rule, in Python for a case whose ticks and record are loaded and in SQL for lists: a
case that is neither cancelled nor waived, whose latest 'booked' tick is done, with a blank
accession (or no catch-up record at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from .models import Case, CatchupRecord, CatchupTick

BOOKED_WITHOUT_ACCESSION = "Bokad utan accessionsnummer – ange det"
# What the closing check and the batch's tasks say: read away from the case.
NO_ACCESSION_TASK = (
    "Bokad i RIS utan accessionsnummer – ange accessionsnumret i ärendets efterregistrering."
)


class _Tick(Protocol):
    @property
    def is_done(self) -> bool: ...


class _Record(Protocol):
    """A catch-up record, or a row of the services' case state that carries its columns."""

    @property
    def ris_accession(self) -> str | None: ...
    @property
    def waived_at(self) -> datetime | None: ...


def lacks_accession(status: str, ticks: Mapping[str, _Tick], record: _Record | None) -> bool:
    """The case stands as booked in RIS with no accession (ticks: the latest per step)."""
    if status == "cancelled" or (record is not None and record.waived_at is not None):
        return False
    booked = ticks.get("booked")
    accession = (record.ris_accession or "") if record is not None else ""
    # Spaces only, as the SQL's trim() takes them.
    return booked is not None and booked.is_done and not accession.strip(" ")


def lacks_accession_clause() -> ColumnElement[bool]:
    """lacks_accession() in SQL, correlated with Case."""
    later = aliased(CatchupTick)
    superseded = (
        select(later.id)
        .where(
            later.case_id == CatchupTick.case_id,
            later.step == CatchupTick.step,
            # Written later, whatever the clock said: it may have been set back meanwhile.
            later.id > CatchupTick.id,
        )
        .exists()
    )
    booked = (
        select(CatchupTick.id)
        .where(
            CatchupTick.case_id == Case.id,
            CatchupTick.step == "booked",
            CatchupTick.is_done.is_(True),
            ~superseded,
        )
        .correlate(Case)
        .exists()
    )
    # A waiver stands in for the keying: its case needs no accession.
    settled = (
        select(CatchupRecord.id)
        .where(
            CatchupRecord.case_id == Case.id,
            or_(
                func.trim(func.coalesce(CatchupRecord.ris_accession, "")) != "",
                CatchupRecord.waived_at.is_not(None),
            ),
        )
        .correlate(Case)
        .exists()
    )
    return and_(Case.status != "cancelled", booked, ~settled)
