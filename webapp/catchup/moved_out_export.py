"""Cases moved out of an incident after RIS heard of them, as each export format tells of them.

JSON: the document's "withdrawn" list, before its cases. CSV: a row per case first, its status
cell saying what to do, the rest of the row as its columns name them (empty where the batch no
longer holds it). FHIR: a case now a drill's has its ServiceRequest put as entered-in-error
(it should never have existed); one moved to another real outage is left to that outage's
export, which carries the same request under the same identifier.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from typing import Any
from zoneinfo import ZoneInfo

from ..csvutil import Identifier
from .batch import display_id
from .export_labels import ID_KIND_LABELS
from .fhir_parts import NATIONAL_ID_SYSTEMS, identifier_query
from .moved_out import MovedOut

WITHDRAW_STATUS = "FLYTTAD TILL ÖVNING – TA BORT I RIS"
MOVED_STATUS = "FLYTTAD TILL DRIFTSTOPP %(n)s – REGISTRERAS DÄRIFRÅN"


def status_text(moved: MovedOut) -> str:
    """The CSV's status cell of a moved case: what the secretary does in RIS."""
    return WITHDRAW_STATUS if moved.to_withdraw else MOVED_STATUS % {"n": moved.now_in}


def withdrawn_json(moved: MovedOut) -> dict[str, Any]:
    """One case of the JSON document's "withdrawn" list (docs/batch-schema.json)."""
    return {
        "code": moved.code,
        "patient": {
            "name": moved.patient_name,
            "id_kind": moved.id_kind,
            "id_value": moved.id_value,
        },
        "ris_accession": moved.ris_accession,
        "ris_exam_number": moved.ris_exam_number,
        "moved_at": moved.moved_at.isoformat(),
        "moved_to": {"incident_id": moved.now_in, "is_drill": moved.now_in_drill},
        "withdraw_from_ris": moved.to_withdraw,
        "earlier_identities": [asdict(e) for e in moved.earlier],
    }


def withdrawn_row(
    moved: MovedOut, header: Sequence[str], local: str, earlier: str = ""
) -> list[str]:
    """A CSV row of a moved case under the batch's header; local: when it was moved; earlier:
    its earlier identities as a case's row writes them."""
    # The numbers the booking is found by in RIS are Identifiers, as on a case's row: Excel
    # would store an accession such as "2026-01-15" as a day.
    cells: dict[str, str] = {
        "ärendekod": Identifier(moved.code),
        "status": status_text(moved),
        "patient namn": moved.patient_name,
        "personnummer/reservnummer": Identifier(display_id(moved.id_kind, moved.id_value)),
        "id-typ": ID_KIND_LABELS.get(moved.id_kind, moved.id_kind),
        "tidigare identitet": earlier,
        "RIS accession": Identifier(moved.ris_accession),
        "RIS undersökningsnummer": Identifier(moved.ris_exam_number),
        # Where an importer looks for why a case is out of the batch.
        "makulerad orsak": f"Flyttad {local}",
        "övning": "ÖVNING" if moved.now_in_drill else "",
    }
    return [cells.get(name, "") for name in header]


def local_text(moved: MovedOut, timezone: str) -> str:
    """When the case was moved, by the site's wall clock."""
    return f"{moved.moved_at.astimezone(ZoneInfo(timezone)):%Y-%m-%d %H:%M}"


def withdrawn_entries(
    moved: Sequence[MovedOut], base: str, urn: Callable[[str], str]
) -> list[dict[str, Any]]:
    """Bundle entries putting each case now a drill's as entered-in-error (validated by the
    caller as every entry is); urn: the fullUrl of a key, as the case's own entries have."""
    entries = []
    for case in moved:
        if not case.to_withdraw:
            continue
        system = NATIONAL_ID_SYSTEMS.get(case.id_kind)
        if system and case.id_value:
            subject: dict[str, Any] = {"identifier": {"system": system, "value": case.id_value}}
        else:
            # As the Patient was created under it: a reserve number names no one for sure.
            subject = {"identifier": {"system": f"{base}/patient-of-case", "value": case.code}}
        identifiers = [{"system": f"{base}/case-code", "value": case.code}]
        if case.ris_accession:
            identifiers.append({"system": f"{base}/ris-accession", "value": case.ris_accession})
        resource = {
            "resourceType": "ServiceRequest",
            "identifier": identifiers,
            "status": "entered-in-error",
            "intent": "order",
            "subject": subject,
            "note": [
                {
                    "time": case.moved_at.isoformat(),
                    "text": "Flyttad till en övning efter export: ta bort i RIS.",
                }
            ],
        }
        query = identifier_query(f"{base}/case-code", case.code)
        entries.append(
            {
                "fullUrl": urn(f"{case.code}/ServiceRequest"),
                "resource": resource,
                "request": {"method": "PUT", "url": f"ServiceRequest?{query}"},
            }
        )
    return entries
