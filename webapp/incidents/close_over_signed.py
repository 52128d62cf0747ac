"""Report blanks joined over a signed report and not settled, as the incident's close asks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..blanks.over_signed import unsettled
from ..extensions import db
from ..identity import format_patient_id
from ..models import Case, ReservedCode
from .open_task import case_label


@dataclass(frozen=True)
class OverSignedCase:
    """A case of the incident with report blanks to read against its signed report."""

    case_id: int
    code: str
    patient_name: str
    patient_number: str
    blank_codes: tuple[str, ...]

    @property
    def label(self) -> str:
        """The case named with its patient, then the blanks: 'U-0001 (Namn, nummer): BLU…'."""
        return f"{case_label(self.code, self.patient_name, self.patient_number)}: " + ", ".join(
            self.blank_codes
        )

    @property
    def shown_keys(self) -> tuple[str, ...]:
        """Its blanks: one joined since the page was drawn was not read, the case known or not."""
        return self.blank_codes

    @property
    def audit(self) -> str:
        """The codes alone, as the audit row keeps them."""
        return f"{self.code} ({', '.join(self.blank_codes)})"


def over_signed_unread(incident_id: int) -> list[OverSignedCase]:
    """The incident's cases, not cancelled, with a report blank joined over their signed report
    and no addendum signed since (blanks/over_signed.py), oldest first.

    After the end neither an addendum nor the radiologist's 'read, the same' can be given here:
    a blank that differs would be forgotten with its report in RIS.
    """
    rows = db.session.execute(
        select(
            Case.id,
            Case.code,
            Case.patient_name,
            Case.patient_id_kind,
            Case.patient_id,
            ReservedCode.code.label("blank"),
        )
        .join(ReservedCode, ReservedCode.used_case_id == Case.id)
        .where(
            Case.incident_id == incident_id,
            Case.status != "cancelled",
            ReservedCode.joined_over_signed,
        )
        .order_by(Case.created_at, Case.id, ReservedCode.id)
    ).all()
    left = set(unsettled(db.session, [(r.id, r.blank) for r in rows]))
    cases: dict[int, OverSignedCase] = {}
    for r in rows:
        if (r.id, r.blank) not in left:
            continue
        known = cases.get(r.id)
        blanks = (*known.blank_codes, r.blank) if known else (r.blank,)
        number = format_patient_id(r.patient_id_kind, r.patient_id)
        cases[r.id] = OverSignedCase(r.id, r.code, r.patient_name, number, blanks)
    return list(cases.values())
