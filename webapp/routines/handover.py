"""The handover of released media in person: the IDs and the proxy's power of attorney."""

from __future__ import annotations

from dataclasses import dataclass

from .refusals import Refusal

LABEL_SHOWS_EARLIER_IDENTITY = (
    "Patientens identitet har rättats sedan skivetiketten skrevs ut: skivan och etiketten "
    "visar den tidigare identiteten."
)


@dataclass(frozen=True)
class Handover:
    """What was checked when the media was handed over in person."""

    recipient_kind: str
    patient_id_checked: bool = False
    proxy_name: str = ""
    proxy_id_checked: bool = False
    power_of_attorney: bool = False
    # The report got an urgent finding after the release was approved without a doctor.
    needs_doctor: bool = False
    doctor_cleared_by: str = ""
    # The disc's label was printed before the patient's identity was corrected.
    label_shows_earlier_identity: bool = False


def check_handover(h: Handover) -> tuple[Refusal, ...]:
    """ID rules at pickup: the patient's ID; a proxy also shows own ID and a power of attorney."""
    out: list[Refusal] = []
    if not h.patient_id_checked:
        out.append(
            Refusal(
                "id_check",
                "patient_id_checked",
                "Patientens giltiga ID-handling ska visas vid utlämnandet.",
                "Be om ID-handling; utan den lämnas skivan inte ut.",
            )
        )
    if h.label_shows_earlier_identity:
        out.append(
            Refusal(
                "label_identity",
                "patient_id_checked",
                LABEL_SHOWS_EARLIER_IDENTITY,
                "Kontrollera att skivan är den här patientens, skriv ut en ny skivetikett och "
                "skriv patientens uppgifter på skivan igen.",
            )
        )
    if h.needs_doctor and not h.doctor_cleared_by.strip():
        out.append(
            Refusal(
                "doctor_clearance",
                "doctor_cleared_by",
                "Utlåtandet har fått ett akut fynd sedan utlämnandet registrerades: läkare ska "
                "rådfrågas innan skivan lämnas ut.",
                "Rådgör med läkare och skriv vem som godkände utlämnandet.",
            )
        )
    if h.recipient_kind == "proxy":
        if not h.proxy_name.strip():
            out.append(Refusal("proxy", "proxy_name", "Ange ombudets namn.", ""))
        if not h.power_of_attorney:
            out.append(
                Refusal(
                    "proxy_power_of_attorney",
                    "power_of_attorney",
                    "Ett ombud ska lämna en fullmakt för utlämnande av röntgenbilder.",
                    "Be om fullmakten; spara den i remisspärmen.",
                )
            )
        if not h.proxy_id_checked:
            out.append(
                Refusal(
                    "proxy_id_check",
                    "proxy_id_checked",
                    "Både ombudets och patientens ID-handling ska visas.",
                    "Be ombudet visa sin egen ID-handling.",
                )
            )
    return tuple(out)
