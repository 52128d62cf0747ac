"""The site configuration: departments, exam catalogue, contacts and routines, from TOML."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property, lru_cache
from typing import Any

from . import siteconfig_values as v
from .refusal import Message, Refused
from .siteconfig_catalogue import (
    Exam,
    Modality,
    Priority,
    parse_exams,
    parse_modalities,
    parse_priorities,
)
from .siteconfig_contacts import Contact, ServiceWindow, parse_contacts
from .siteconfig_holidays import HolidayCalendar, parse_holidays
from .siteconfig_identity import IDENTITY_SECTION, ReserveFormat, parse_reserve_format
from .siteconfig_pregnancy import AGE_KEYS, PregnancyAges, parse_pregnancy_ages
from .siteconfig_referral_fax import REFERRAL_FAX_KEY, parse_referral_fax
from .siteconfig_reply import REPLY_KEY, parse_reply_contact
from .siteconfig_ris import ACCESSION_KEY, DEFAULT_ACCESSION_LENGTH, parse_accession_max_length
from .siteconfig_routines import RoutinesConfig, RoutinesConfigError, parse_routines
from .siteconfig_safety import AGE_KEY, LIMIT_KEYS, SafetyLimits, parse_safety_limits
from .siteconfig_scenarios import (
    APP_STEP_KEYS,
    Notification,
    Scenario,
    parse_scenarios,
)
from .siteconfig_toml import toml_problem
from .siteconfig_wards import WARDS_KEY, parse_wards_contact

__all__ = [
    "APP_STEP_KEYS",
    "Contact",
    "Exam",
    "Modality",
    "Notification",
    "Priority",
    "Scenario",
    "ServiceWindow",
    "SiteConfig",
    "SiteConfigError",
    "parse_site_config",
]


# The site row holds its code and name; every audit row holds the care unit (or the name).
# The department is no column, but every faxed sheet names it as the sender: longer took the
# anonymised report onto a second page.
SITE_LENGTHS = {"code": 32, "name": 200, "care_unit": 200, "department": 200}
# The file's sections; any other is a misspelling whose settings would be silently left out.
SECTIONS = (
    *("site", "priorities", "modalities", "exams", "contacts", "scenarios", "routines"),
    IDENTITY_SECTION,
)
SITE_KEYS = (
    *("code", "name", "department", "care_unit", "region", "fax", "phone"),
    *("four_eyes", "holidays", "public_holidays"),
    *LIMIT_KEYS,
    AGE_KEY,
    *AGE_KEYS,
    ACCESSION_KEY,
    REPLY_KEY,
    REFERRAL_FAX_KEY,
    WARDS_KEY,
)


class SiteConfigError(Refused):
    """The TOML text is not a usable site configuration: a Swedish template and its values."""

    @classmethod
    def of(cls, refused: Refused) -> SiteConfigError:
        """A part's refusal as the configuration's, in the same words."""
        return cls(refused.message, **refused.values)


@dataclass(frozen=True)
class SiteConfig:
    code: str
    name: str
    department: str
    care_unit: str
    region: str
    fax: str
    phone: str
    four_eyes: bool
    priorities: tuple[Priority, ...]
    modalities: tuple[Modality, ...]
    exams: tuple[Exam, ...]
    contacts: dict[str, Contact] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    routines: RoutinesConfig = field(default_factory=RoutinesConfig)
    holidays: HolidayCalendar = field(default_factory=HolidayCalendar)
    safety_limits: SafetyLimits = field(default_factory=SafetyLimits)
    # The ages the referral asks about pregnancy at (siteconfig_pregnancy).
    pregnancy_ages: PregnancyAges = field(default_factory=PregnancyAges)
    # The longest RIS accession the catch-up takes (siteconfig_ris).
    accession_max_length: int = DEFAULT_ACCESSION_LENGTH
    # The contact whose fax and phone the sheets print as the site's own (siteconfig_reply);
    # "": [site] fax and phone.
    reply_contact: str = ""
    # The contacts whose fax the ward referral form names (siteconfig_referral_fax); ():
    # the reply fax.
    referral_fax: tuple[str, ...] = ()
    # The contact who tells the wards how to refer now (siteconfig_wards); "": none named.
    wards_contact: str = ""
    # The region's reserve-number format (siteconfig_identity); None: the generic rule.
    reserve_format: ReserveFormat | None = None
    # Rules a stored configuration breaks, read with strict=False; an admin's save has none.
    broken_rules: tuple[Message, ...] = ()
    # Labels of priority and modality codes this version no longer has, as they last read in a
    # replaced version: the cases made under them still carry the codes.
    earlier_priority_labels: dict[str, str] = field(default_factory=dict)
    earlier_modality_names: dict[str, str] = field(default_factory=dict)
    # The names exams still in the catalogue had in replaced versions: a case saved before a
    # rename carries the old name with the code, still that exam (cases/exam_names.py).
    earlier_exam_names: dict[str, frozenset[str]] = field(default_factory=dict)

    def priority_rank(self, code: str) -> int:
        for p in self.priorities:
            if p.code == code:
                return p.rank
        return 99

    def max_wait_minutes(self, code: str) -> int:
        """How long a case of this priority may wait for its definitive report; 0: no limit."""
        return next((p.max_wait_minutes for p in self.priorities if p.code == code), 0)

    def priority_label(self, code: str) -> str:
        return next(
            (p.label for p in self.priorities if p.code == code),
            self.earlier_priority_labels.get(code, code),
        )

    def modality_name(self, code: str) -> str:
        return next(
            (m.name for m in self.modalities if m.code == code),
            self.earlier_modality_names.get(code, code),
        )

    def modality(self, code: str) -> Modality | None:
        return self._modalities_by_code.get(code)

    def exam(self, code: str) -> Exam | None:
        return self._exams_by_code.get(code)

    # Looked up per row of a 500-case board; the first of a code wins, as a scan would find it.
    @cached_property
    def _modalities_by_code(self) -> dict[str, Modality]:
        return {m.code: m for m in reversed(self.modalities)}

    @cached_property
    def _exams_by_code(self) -> dict[str, Exam]:
        return {e.code: e for e in reversed(self.exams)}

    def contact_now(self, key: str, moment: datetime) -> Contact:
        """Follow fallbacks until a contact whose service hours cover the moment."""
        seen: set[str] = set()
        contact = self.contacts[key]
        while contact.fallback and contact.fallback not in seen:
            if contact.is_open(moment, self.holidays):
                break
            seen.add(contact.key)
            contact = self.contacts[contact.fallback]
        return contact


def _known_sections(raw: dict[str, Any]) -> None:
    for name in raw:
        if name not in SECTIONS:
            v.rule(
                "Avsnittet [%(name)s] används inte här; kontrollera stavningen%(close)s "
                "(möjliga: %(names)s).",
                name=name,
                close=v.did_you_mean(name, SECTIONS, "[{}]"),
                names=", ".join(f"[{section}]" for section in SECTIONS),
            )


def parse_site_config(text: str, *, strict: bool = True) -> SiteConfig:
    """Parse and check a site TOML; raise SiteConfigError with a message for the admin.

    strict False reads a stored configuration that breaks a rule added since it was saved (a
    number with letters, overlapping hours, hours without a fallback) and lists those rules in
    broken_rules: the laptop must start in an outage, and the admin fixes them at the next save.
    """
    return _parsed(text, strict)


# The same text is parsed at start-up and again by the first request (whose cache is keyed by
# the saved version), and an admin's edit is checked by the form before the save parses it. A
# SiteConfig is never changed once made, so one parse serves them all; a failed one raises and
# is not kept.
@lru_cache(maxsize=16)
def _parsed(text: str, strict: bool) -> SiteConfig:
    if strict:
        return _parse(text)
    with v.relaxed_rules() as broken:
        config = _parse(text)
    return replace(config, broken_rules=tuple(broken))


def _parse(text: str) -> SiteConfig:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(
            "TOML-filen går inte att läsa: %(problem)s", problem=toml_problem(exc)
        ) from exc
    except RecursionError as exc:
        # tomllib reads nested lists and tables by recursion; thousands deep exhaust the stack.
        raise SiteConfigError(
            "TOML-filen går inte att läsa: listor eller tabeller är nästlade för djupt."
        ) from exc
    site = raw.get("site")
    if not isinstance(site, dict):
        raise SiteConfigError("Avsnittet [site] saknas.")
    try:
        _known_sections(raw)
        priorities = parse_priorities(raw)
        modalities = parse_modalities(raw)
        exams = parse_exams(raw)
        contacts = parse_contacts(raw)
        scenarios = parse_scenarios(raw)
        site_fields = {
            key: v.text(
                site,
                key,
                "[site]",
                required=key in ("code", "name"),
                max_length=SITE_LENGTHS.get(key),
            )
            for key in ("code", "name", "department", "care_unit", "region")
        }
        site_fields |= {key: v.number(site, key, "[site]") for key in ("fax", "phone")}
        four_eyes = v.flag(site, "four_eyes", "[site]")
        v.known(site, SITE_KEYS, "[site]")
        holidays = parse_holidays(site)
        safety_limits = parse_safety_limits(site)
        pregnancy_ages = parse_pregnancy_ages(site)
        accession_max_length = parse_accession_max_length(site)
        reply_contact = parse_reply_contact(site, contacts)
        referral_fax = parse_referral_fax(site, contacts)
        wards_contact = parse_wards_contact(site, contacts)
        reserve_format = parse_reserve_format(raw)
    except v.ConfigValueError as exc:
        raise SiteConfigError.of(exc) from exc
    if not priorities:
        raise SiteConfigError("Minst en prioritet ([[priorities]]) krävs.")
    if not modalities:
        raise SiteConfigError("Minst en modalitet ([[modalities]]) krävs.")
    if not scenarios:
        raise SiteConfigError("Minst ett scenario ([scenarios.*]) krävs.")
    modality_codes = {m.code for m in modalities}
    for e in exams:
        if e.modality not in modality_codes:
            raise SiteConfigError(
                "Undersökningen %(code)s har okänd modalitet %(modality)s.",
                code=e.code,
                modality=e.modality,
            )
    for c in contacts.values():
        if c.fallback and c.fallback not in contacts:
            raise SiteConfigError(
                "Kontakten %(key)s har okänd reservkontakt %(fallback)s.",
                key=c.key,
                fallback=c.fallback,
            )
    for s in scenarios.values():
        for k in s.calls:
            if k not in contacts:
                raise SiteConfigError(
                    "Scenariot %(scenario)s hänvisar till okänd kontakt %(key)s.",
                    scenario=s.key,
                    key=k,
                )
    try:
        routines = parse_routines(
            raw.get("routines"),
            contacts,
            (n.key for s in scenarios.values() for n in (*s.notifications, *s.follow_up)),
        )
    except RoutinesConfigError as exc:
        raise SiteConfigError.of(exc) from exc
    return SiteConfig(
        code=site_fields["code"],
        name=site_fields["name"],
        department=site_fields["department"],
        care_unit=site_fields["care_unit"],
        region=site_fields["region"],
        fax=site_fields["fax"],
        phone=site_fields["phone"],
        four_eyes=four_eyes,
        priorities=tuple(sorted(priorities, key=lambda p: p.rank)),
        modalities=modalities,
        exams=exams,
        contacts=contacts,
        scenarios=scenarios,
        # Sections saved before unknown ones were refused, kept as read.
        extra={k: value for k, value in raw.items() if k not in SECTIONS},
        routines=routines,
        holidays=holidays,
        safety_limits=safety_limits,
        pregnancy_ages=pregnancy_ages,
        accession_max_length=accession_max_length,
        reply_contact=reply_contact,
        referral_fax=referral_fax,
        wards_contact=wards_contact,
        reserve_format=reserve_format,
    )
