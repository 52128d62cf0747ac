"""The site configuration: departments, exam catalogue, contacts and routines, from TOML."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from .siteconfig_routines import RoutinesConfig, RoutinesConfigError, parse_routines

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HOURS_RE = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))? "
    r"(\d{2}):(\d{2})-(\d{2}):(\d{2})$"
)


class SiteConfigError(ValueError):
    """The TOML text is not a usable site configuration."""


@dataclass(frozen=True)
class ServiceWindow:
    """A weekly window such as mon-fri 07:00-15:30; may run past midnight."""

    days: tuple[int, ...]
    start: time
    end: time

    def contains(self, moment: datetime) -> bool:
        t = moment.time()
        weekday = moment.weekday()
        if self.start <= self.end:
            return weekday in self.days and self.start <= t < self.end
        # An overnight window belongs to the day it starts on.
        if t >= self.start:
            return weekday in self.days
        return (weekday - 1) % 7 in self.days and t < self.end


@dataclass(frozen=True)
class Contact:
    key: str
    name: str
    phone: str = ""
    fax: str = ""
    email: str = ""
    menu: str = ""
    hours_text: tuple[str, ...] = ()
    hours: tuple[ServiceWindow, ...] = ()
    fallback: str = ""

    def is_open(self, moment: datetime) -> bool:
        return not self.hours or any(w.contains(moment) for w in self.hours)


@dataclass(frozen=True)
class Priority:
    code: str
    label: str
    rank: int


@dataclass(frozen=True)
class Modality:
    code: str
    name: str
    rooms: tuple[str, ...] = ()
    pregnancy: bool = False
    mr_safety: bool = False


@dataclass(frozen=True)
class Exam:
    code: str
    name: str
    modality: str
    contrast: bool = False
    pregnancy: bool = False
    mr_safety: bool = False


@dataclass(frozen=True)
class Notification:
    key: str
    label: str


@dataclass(frozen=True)
class Scenario:
    key: str
    name: str
    still_works: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()
    notifications: tuple[Notification, ...] = ()


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

    def priority_rank(self, code: str) -> int:
        for p in self.priorities:
            if p.code == code:
                return p.rank
        return 99

    def priority_label(self, code: str) -> str:
        return next((p.label for p in self.priorities if p.code == code), code)

    def modality_name(self, code: str) -> str:
        return next((m.name for m in self.modalities if m.code == code), code)

    def modality(self, code: str) -> Modality | None:
        return next((m for m in self.modalities if m.code == code), None)

    def exam(self, code: str) -> Exam | None:
        return next((e for e in self.exams if e.code == code), None)

    def contact_now(self, key: str, moment: datetime) -> Contact:
        """Follow fallbacks until a contact whose service hours cover the moment."""
        seen: set[str] = set()
        contact = self.contacts[key]
        while not contact.is_open(moment) and contact.fallback and contact.fallback not in seen:
            seen.add(contact.key)
            contact = self.contacts[contact.fallback]
        return contact


def _parse_window(text: str) -> ServiceWindow:
    m = _HOURS_RE.match(text.strip().lower())
    if not m:
        raise SiteConfigError(f"Öppettiden '{text}' ska skrivas som t.ex. 'mon-fri 07:00-15:30'.")
    first, last = DAYS.index(m.group(1)), DAYS.index(m.group(2) or m.group(1))
    days = tuple(d % 7 for d in range(first, last + 1 if last >= first else last + 8))
    try:
        start = time(int(m.group(3)), int(m.group(4)))
        end = time(int(m.group(5)), int(m.group(6)))
    except ValueError as exc:
        raise SiteConfigError(f"Ogiltig tid i '{text}'.") from exc
    return ServiceWindow(days=days, start=start, end=end)


def _require(table: dict[str, Any], key: str, where: str) -> Any:
    if key not in table or table[key] in ("", None):
        raise SiteConfigError(f"'{key}' saknas i {where}.")
    return table[key]


def parse_site_config(text: str) -> SiteConfig:
    """Parse and check a site TOML; raise SiteConfigError with a Swedish message."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"TOML-filen går inte att läsa: {exc}") from exc
    site = raw.get("site")
    if not isinstance(site, dict):
        raise SiteConfigError("Avsnittet [site] saknas.")
    try:
        priorities = tuple(
            Priority(
                str(_require(p, "code", "[[priorities]]")),
                str(_require(p, "label", "[[priorities]]")),
                int(p.get("rank", i + 1)),
            )
            for i, p in enumerate(raw.get("priorities", []))
        )
        modalities = tuple(
            Modality(
                str(_require(m, "code", "[[modalities]]")),
                str(_require(m, "name", "[[modalities]]")),
                tuple(str(r) for r in m.get("rooms", [])),
                bool(m.get("pregnancy", False)),
                bool(m.get("mr_safety", False)),
            )
            for m in raw.get("modalities", [])
        )
        exams = tuple(
            Exam(
                str(_require(e, "code", "[[exams]]")),
                str(_require(e, "name", "[[exams]]")),
                str(_require(e, "modality", "[[exams]]")),
                bool(e.get("contrast", False)),
                bool(e.get("pregnancy", False)),
                bool(e.get("mr_safety", False)),
            )
            for e in raw.get("exams", [])
        )
        contacts: dict[str, Contact] = {}
        for c in raw.get("contacts", []):
            key = str(_require(c, "key", "[[contacts]]"))
            hours_text = tuple(str(h) for h in c.get("hours", []))
            contacts[key] = Contact(
                key=key,
                name=str(_require(c, "name", f"kontakten {key}")),
                phone=str(c.get("phone", "")),
                fax=str(c.get("fax", "")),
                email=str(c.get("email", "")),
                menu=str(c.get("menu", "")),
                hours_text=hours_text,
                hours=tuple(_parse_window(h) for h in hours_text),
                fallback=str(c.get("fallback", "")),
            )
        scenarios: dict[str, Scenario] = {}
        for key, s in raw.get("scenarios", {}).items():
            scenarios[key] = Scenario(
                key=key,
                name=str(_require(s, "name", f"scenariot {key}")),
                still_works=tuple(str(x) for x in s.get("still_works", [])),
                steps=tuple(str(x) for x in s.get("steps", [])),
                calls=tuple(str(x) for x in s.get("calls", [])),
                notifications=tuple(
                    Notification(
                        str(_require(n, "key", f"scenariot {key}")),
                        str(_require(n, "label", f"scenariot {key}")),
                    )
                    for n in s.get("notifications", [])
                ),
            )
    except (TypeError, AttributeError) as exc:
        raise SiteConfigError(f"Fel struktur i konfigurationen: {exc}") from exc
    if not priorities:
        raise SiteConfigError("Minst en prioritet ([[priorities]]) krävs.")
    if not modalities:
        raise SiteConfigError("Minst en modalitet ([[modalities]]) krävs.")
    if not scenarios:
        raise SiteConfigError("Minst ett scenario ([scenarios.*]) krävs.")
    modality_codes = {m.code for m in modalities}
    for e in exams:
        if e.modality not in modality_codes:
            raise SiteConfigError(f"Undersökningen {e.code} har okänd modalitet {e.modality}.")
    for c in contacts.values():
        if c.fallback and c.fallback not in contacts:
            raise SiteConfigError(f"Kontakten {c.key} har okänd reservkontakt {c.fallback}.")
    for s in scenarios.values():
        for k in s.calls:
            if k not in contacts:
                raise SiteConfigError(f"Scenariot {s.key} hänvisar till okänd kontakt {k}.")
    try:
        routines = parse_routines(raw.get("routines"), contacts)
    except RoutinesConfigError as exc:
        raise SiteConfigError(str(exc)) from exc
    return SiteConfig(
        code=str(_require(site, "code", "[site]")),
        name=str(_require(site, "name", "[site]")),
        department=str(site.get("department", "")),
        care_unit=str(site.get("care_unit", "")),
        region=str(site.get("region", "")),
        fax=str(site.get("fax", "")),
        phone=str(site.get("phone", "")),
        four_eyes=bool(site.get("four_eyes", False)),
        priorities=tuple(sorted(priorities, key=lambda p: p.rank)),
        modalities=modalities,
        exams=exams,
        contacts=contacts,
        scenarios=scenarios,
        extra={
            k: v
            for k, v in raw.items()
            if k
            not in {
                "site",
                "priorities",
                "modalities",
                "exams",
                "contacts",
                "scenarios",
                "routines",
            }
        },
        routines=routines,
    )
