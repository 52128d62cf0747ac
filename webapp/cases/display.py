"""How patients and answers are shown on screen (and on paper, via plain strings)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..i18n import gettext
from ..identity import age_on, format_patient_id
from ..models import Case
from .fields import site_today

ANSWER_LABELS = {"yes": "Ja", "no": "Nej", "unknown": "Vet ej", "": "–"}
ARRIVAL_LABELS = {"fax": "Fax", "paper": "Papper", "phone": "Telefon", "app": "I appen"}
# How the patient moves (förflyttning), in the order the paper referral lists it.
MOBILITY_LABELS = {
    "walks": "Går själv",
    "wheelchair": "Rullstol",
    "bed": "Säng",
    "stretcher": "Bår",
}


def infection_text(answer: str, note: str) -> str:
    """Infection/isolation as the printed referral words it: "Ja: MRSA", "–" unanswered."""
    return ANSWER_LABELS.get(answer, answer) + (f": {note}" if note else "")


def mobility_text(mobility: str) -> str:
    """How the patient moves as the printed referral words it: "Rullstol", "–" unanswered."""
    return MOBILITY_LABELS.get(mobility, "–")


PACS_LABELS = {"yes": "Ja, skickade", "no": "Nej, inte skickade", "failed": "Misslyckades"}
CONTRAST_ROUTE_LABELS = {
    "iv": "Intravenöst",
    "oral": "Peroralt",
    "rectal": "Rektalt",
    "intraarticular": "Intraartikulärt",
    "other": "Annat",
}
SEX_LABELS = {"F": "Kvinna", "M": "Man", "": "Okänt kön"}
ID_KIND_LABELS = {
    "personnummer": "Personnummer",
    "samordningsnummer": "Samordningsnummer",
    "reserve": "Reservnummer",
}


def patient_id_display(case: Case) -> str:
    """The identity number as staff write it: YYYYMMDD-NNNN, or the reserve number."""
    return format_patient_id(case.patient_id_kind, case.patient_id)


def patient_age(case: Case, today: date | None = None) -> int | None:
    """Age in years from the birth date, or the approximate age of an unidentified patient."""
    if case.patient_birth_date is not None:
        return age_on(case.patient_birth_date, today or site_today())
    return case.patient_age_approx


def patient_masked(case: Case, unknown: str = "Okänd") -> str:
    """Initials and birth date only: enough to tell cases apart on a board others can see.

    unknown stands in for the initials of an unnamed patient: Swedish on paper, the screen's
    language on screen.
    """
    return mask_patient(case.patient_name, case.patient_id_kind, case.patient_id, unknown)


def mask_patient(name: str, id_kind: str, patient_id: str, unknown: str = "Okänd") -> str:
    """`patient_masked` from the bare columns (the board loads no Case objects)."""
    return str(MaskedPatient.of(name, id_kind, patient_id, unknown))


@dataclass(frozen=True)
class MaskedPatient:
    """Initials and masked number apart: a row keeps the number on one line."""

    initials: str
    number: str

    @classmethod
    def of(cls, name: str, id_kind: str, patient_id: str, unknown: str = "Okänd") -> MaskedPatient:
        """The masked patient from the bare columns."""
        letters = _letters(" ".join(f"{_initial(part)}." for part in _composed(name).split()))
        initials = "".join(letters[:12])
        if id_kind == "reserve":
            return cls(initials or unknown, patient_id)
        return cls(initials, masked_number(id_kind, patient_id))

    def __str__(self) -> str:
        return f"{self.initials} · {self.number}" if self.number else self.initials


def mask_patients(rows: Sequence[Any], unknown: str = "Okänd") -> list[MaskedPatient]:
    """`MaskedPatient.of` for the rows of one list, with patients it would mask alike told apart.

    Twins share a birth date and a surname, often the initials too: their rows would read the
    same beside two case codes. Such rows show the given name in full ("Anna A." and "Axel A."),
    and where that is shared as well (one name, one birth date) the whole number. Each row has
    patient_name, patient_id_kind and patient_id.
    """
    masked = [
        MaskedPatient.of(r.patient_name, r.patient_id_kind, r.patient_id, unknown) for r in rows
    ]
    who: dict[MaskedPatient, set[tuple[str, str, str]]] = {}
    for r, m in zip(rows, masked, strict=True):
        who.setdefault(m, set()).add((r.patient_id_kind, r.patient_id, r.patient_name))
    apart = []
    for r, m in zip(rows, masked, strict=True):
        if len(who[m]) < 2:
            apart.append(m)
            continue
        names = {name for _kind, _id, name in who[m]}
        given = name_told_apart(r.patient_name) or m.initials
        if len(names) == len(who[m]) and len({name_told_apart(n) for n in names}) == len(names):
            apart.append(MaskedPatient(given, m.number))
        else:
            apart.append(MaskedPatient(given, format_patient_id(r.patient_id_kind, r.patient_id)))
    return apart


def name_told_apart(name: str) -> str:
    """The given name in full, the other names as initials: "Anna A." for "Anna Andersson"."""
    parts = _composed(name).split()
    return " ".join([parts[0], *(f"{_initial(part)}." for part in parts[1:])]) if parts else ""


def _composed(name: str) -> str:
    # Names are stored composed since the forms compose them, older rows and imports need not
    # be: "A" and U+0301 is one letter, Á, and the mask must not keep the A alone.
    return unicodedata.normalize("NFC", name)


def _letters(text: str) -> list[str]:
    """The text as the letters a reader sees: each with the accents that follow it.

    A letter without a precomposed form (Q with a dot below) stays several code points after
    NFC; cutting after the first lost its accent, and a cut by length could split it too.
    """
    letters: list[str] = []
    for ch in text:
        if letters and unicodedata.category(ch).startswith("M"):
            letters[-1] += ch
        else:
            letters.append(ch)
    return letters


def _initial(part: str) -> str:
    # The first letter and the accents that follow it; the rest of the name is not looked at
    # (a board of 500 rows makes a thousand and more of these per refresh).
    end = 1
    while end < len(part) and unicodedata.category(part[end]).startswith("M"):
        end += 1
    return part[:end]


def masked_number(id_kind: str, patient_id: str) -> str:
    """The identity number with its last four digits hidden, as the lists show it."""
    if id_kind == "reserve":
        return patient_id
    return f"{patient_id[:8]}-****" if len(patient_id) == 12 else ""


def patient_summary(case: Case) -> str:
    """Name, identity, sex and age on one line (the two identifiers every screen shows), in
    the screen's language."""
    age = patient_age(case)
    parts = [case.patient_name or gettext("Namn okänt"), patient_id_display(case)]
    sex = gettext(SEX_LABELS.get(case.patient_sex, ""))
    years = f"{age} {gettext('år')}"
    if case.patient_id_kind == "reserve":
        parts.append(f"{sex}, {gettext('ca')} {years}" if age is not None else sex)
    elif age is not None:
        parts.append(f"{sex}, {years}")
    return " · ".join(p for p in parts if p)
