"""The record a draft of a form that is no case's is typed on: a transfer (a try's form) or an
outage (its deviation number), named by its id in the draft (draft_kinds.sheet_code).

Such a draft has no case to name its patient, and a tablet's label names none of it: every list
of drafts names the record instead, and a transfer with no case its patient, as the transfer's
page shows them (principle 2). A record whose form is no longer drawn (a closed transfer, a
number recorded meanwhile) leaves its draft only to read and throw away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from ..draft_kinds import sheet_code
from ..draft_typed import mask_numbers
from ..extensions import db
from ..models import ImageTransfer, Incident
from ..routines.labels import DIRECTION_LABELS


@dataclass(frozen=True)
class DraftRecord:
    """What names a draft's transfer or incident, and whether its form is still drawn."""

    # "transfer" or "incident".
    kind: str
    record_id: int
    # A transfer's direction (a label to translate) and counterpart; an incident's title.
    direction: str
    name: str
    # The patient of a transfer with no case, as its page shows them ("" otherwise: a case's
    # draft names its case's patient).
    patient_name: str = ""
    patient_ref: str = ""
    # The transfer closed: its page draws no try form.
    is_transfer_closed: bool = False
    # The draft's number is the incident's already (recorded from another tablet): sent, it
    # would change nothing.
    is_number_recorded: bool = False
    incident_id: int | None = None

    @property
    def is_moot(self) -> bool:
        """Whether the draft's form can no longer be sent: only to read and throw away."""
        return self.is_transfer_closed or self.is_number_recorded

    def masked(self) -> DraftRecord:
        """As a list shows it: the patient's number with its last four hidden."""
        return replace(self, patient_ref=mask_numbers(self.patient_ref))


# The kinds whose draft names a record, by the record they name (a log note names its outage
# as the deviation number does; it is never "recorded meanwhile": its data has no number).
_TRANSFER_KINDS = ("transfer_attempt",)
_INCIDENT_KINDS = ("deviation", "incident_note")


def draft_records(
    site_id: int, drafts: Iterable[tuple[int, str, Any]], *, masked: bool = True
) -> dict[int, DraftRecord]:
    """The records of drafts (id, kind, data) of the site that name one, by draft id.

    masked: as a list shows the patient's number (the page of one draft shows it whole, as
    the transfer's page does).
    """
    wanted = [(draft_id, kind, sheet_code(kind, data), data) for draft_id, kind, data in drafts]
    transfer_ids = {int(code) for _i, kind, code, _d in wanted if code and kind in _TRANSFER_KINDS}
    incident_ids = {int(code) for _i, kind, code, _d in wanted if code and kind in _INCIDENT_KINDS}
    transfers = _by_id(ImageTransfer, site_id, transfer_ids)
    incidents = _by_id(Incident, site_id, incident_ids)
    found: dict[int, DraftRecord] = {}
    for draft_id, kind, code, data in wanted:
        record: DraftRecord | None = None
        if kind in _TRANSFER_KINDS and code and int(code) in transfers:
            record = _of_transfer(transfers[int(code)])
        elif kind in _INCIDENT_KINDS and code and int(code) in incidents:
            record = _of_incident(incidents[int(code)], data)
        if record is not None:
            found[draft_id] = record.masked() if masked else record
    return found


def _by_id(model: Any, site_id: int, ids: set[int]) -> dict[int, Any]:
    if not ids:
        return {}
    rows = db.session.scalars(select(model).where(model.id.in_(ids), model.site_id == site_id))
    return {row.id: row for row in rows}


def _of_transfer(transfer: ImageTransfer) -> DraftRecord:
    caseless = transfer.case_id is None
    return DraftRecord(
        kind="transfer",
        record_id=transfer.id,
        direction=DIRECTION_LABELS.get(transfer.direction, transfer.direction),
        name=transfer.counterpart_name,
        patient_name=transfer.patient_name if caseless else "",
        patient_ref=transfer.patient_ref if caseless else "",
        is_transfer_closed=transfer.status != "open",
        incident_id=transfer.incident_id,
    )


def _of_incident(incident: Incident, data: Any) -> DraftRecord:
    typed = data.get("deviation_number") if isinstance(data, dict) else None
    # As the service compares them (followup.deviation): the number stripped. An empty field
    # with no number recorded is no number to speak of.
    number = typed.strip() if isinstance(typed, str) else ""
    recorded = bool(number) and number == incident.deviation_number
    return DraftRecord(
        kind="incident",
        record_id=incident.id,
        direction="",
        name=incident.title,
        is_number_recorded=recorded,
        incident_id=incident.id,
    )
