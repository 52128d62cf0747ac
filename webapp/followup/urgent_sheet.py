"""The follow-up sheet's table of urgent findings and the time until the referrer was called.

Swedish only, as the rest of the sheet; cases by their code, no names and no free text.
"""

from __future__ import annotations

from printforms import data_office as po

from ..web import local_time_marked as shown_time
from .referrer import UrgentFinding

NONE_SHOWN = "–"


def urgent_table(urgent: tuple[UrgentFinding, ...]) -> po.FollowUpTable:
    return po.FollowUpTable(
        "Akuta fynd: tid till samtalet med remittenten",
        (
            ("Ärende", 1.0),
            ("Prioritet", 1.2),
            ("Signerat", 1.5),
            ("Ringt", 1.5),
            ("Min", 0.7),
            ("Anmärkning", 1.8),
        ),
        tuple(
            (
                f"{u.code} (tillägg)" if u.is_addendum else u.code,
                u.priority,
                shown_time(u.signed_at) or NONE_SHOWN,
                shown_time(u.called_at) or "Inte loggat",
                NONE_SHOWN if u.minutes is None else str(u.minutes),
                _note(u),
            )
            for u in urgent
        ),
    )


def _note(u: UrgentFinding) -> str:
    notes = []
    if u.called_before_signing:
        notes.append("Samtal före signering")
    if u.mark_removed:
        # The call still answered a finding signed as urgent; RIS shows the report without it.
        notes.append("Akut markering borttagen vid en senare signering")
    return "; ".join(notes)
