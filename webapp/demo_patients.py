"""Fictional patients for the demo drill: names, valid test personnummer and samordningsnummer,
and unidentified patients with a reserve number."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import Any

from .identity import age_on, luhn_check_digit, parse_personal_number

# Every name is made up; the numbers are from the test series (serial 98x/99x).

FEMALE_NAMES = (
    "Åsa", "Märta", "Ingrid", "Göta", "Linnéa", "Maja", "Signe", "Kerstin", "Britt-Marie",
    "Elsa", "Ylva", "Agnes", "Sofia", "Astrid", "Lovisa", "Sigrid",
)  # fmt: skip
MALE_NAMES = (
    "Örjan", "Åke", "Göran", "Björn", "Måns", "Pär", "Sören", "Torbjörn", "Jöns", "Olle",
    "Nils", "Gösta", "Håkan", "Anders", "Viggo", "Ragnar",
)  # fmt: skip
SURNAMES = (
    "Öberg", "Älvström", "Åström", "Sjögren", "Bäckström", "Nordström", "Håkansson",
    "Jönsson", "Näslund", "Löfgren", "Dahlström", "Strömqvist", "Ekström", "Lindgren",
    "Högberg", "Östlund", "Wåhlin", "Sundén", "Ärlebäck", "Mårtensson",
)  # fmt: skip


@dataclass(frozen=True)
class PatientPlan:
    """A fictional patient: identity as the form's identity_values() would give it."""

    name: str
    kind: str  # personnummer | samordningsnummer | reserve
    number: str
    sex: str
    birth_date: date | None = None
    age_approx: int | None = None

    def identity(self) -> dict[str, Any]:
        """The case's identity fields."""
        return {
            "patient_id_kind": self.kind,
            "patient_id": self.number,
            "patient_sex": self.sex,
            "patient_birth_date": self.birth_date,
            "patient_age_approx": self.age_approx,
            "patient_name": self.name,
        }

    def age(self, today: date) -> int | None:
        """Age in years, exact or approximate."""
        return age_on(self.birth_date, today) if self.birth_date else self.age_approx


def make_personnummer(
    rng: Random, birth: date, sex: str, *, coordination: bool = False
) -> PatientPlan:
    """A valid test personnummer (serial 98x/99x) or samordningsnummer (day + 60)."""
    day = birth.day + (60 if coordination else 0)
    sex_digit = rng.choice("13579" if sex == "M" else "02468")
    nine = f"{birth:%y%m}{day:02d}9{rng.choice('89')}{sex_digit}"
    text = f"{birth.year:04d}{nine[2:4]}{day:02d}-{nine[6:]}{luhn_check_digit(nine)}"
    # The form's own parser proves the number valid; its twelve digits carry their century,
    # so the birth date itself serves as "today".
    pn = parse_personal_number(text, birth)
    return PatientPlan("", pn.kind, pn.normalized, pn.sex, birth_date=pn.birth_date)


def _random_name(rng: Random, sex: str) -> str:
    first = rng.choice(MALE_NAMES if sex == "M" else FEMALE_NAMES)
    return f"{first} {rng.choice(SURNAMES)}"


def plan_patient(
    rng: Random,
    today: date,
    *,
    sex: str | None = None,
    age: int | None = None,
    coordination: bool = False,
) -> PatientPlan:
    """An identified fictional patient, aged 1–95 unless an age is given."""
    sex = sex or rng.choice("FM")
    if age is None:
        age = rng.randint(1, 17) if rng.random() < 0.1 else rng.randint(18, 94)
    birth = today - timedelta(days=age * 365 + rng.randint(0, 364))
    pn = make_personnummer(rng, birth, sex, coordination=coordination)
    return PatientPlan(_random_name(rng, sex), pn.kind, pn.number, pn.sex, pn.birth_date)


def plan_unidentified(rng: Random, today: date, serial: int) -> PatientPlan:
    """An unidentified patient with a reserve number, sex and approximate age."""
    return PatientPlan(
        "",
        "reserve",
        f"RES-{today.year}-{serial:04d}",
        rng.choice("FM"),
        age_approx=rng.randint(20, 85),
    )
