"""The site configuration: departments, exam catalogue, contacts and routines, from TOML."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from . import siteconfig_values as v
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
    # From arrival to a definitive report; a case waiting longer is overdue. 0: no limit.
    max_wait_minutes: int = 0


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

    def max_wait_minutes(self, code: str) -> int:
        """How long a case of this priority may wait for its definitive report; 0: no limit."""
        return next((p.max_wait_minutes for p in self.priorities if p.code == code), 0)

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


# Longer than any outage; a wait beyond what a date holds made every board and case page fail.
MAX_WAIT_LIMIT = 30 * 24 * 60


def _priorities(raw: dict[str, Any]) -> tuple[Priority, ...]:
    found = []
    for i, p in enumerate(v.tables(raw, "priorities", "[[priorities]]"), start=1):
        where = f"prioritet {i}"
        max_wait = v.integer(p, "max_wait_minutes", where, default=0)
        if max_wait < 0:
            raise v.ConfigValueError(
                f"{where}: max_wait_minutes ska vara minuter (0 eller mer), t.ex. 60."
            )
        if max_wait > MAX_WAIT_LIMIT:
            raise v.ConfigValueError(
                f"{where}: max_wait_minutes ska vara högst {MAX_WAIT_LIMIT} minuter (30 dygn), "
                "t.ex. 360."
            )
        found.append(
            Priority(
                v.text(p, "code", where, required=True),
                v.text(p, "label", where, required=True),
                v.integer(p, "rank", where, default=i),
                max_wait,
            )
        )
    v.unique((p.code for p in found), "Prioriteten")
    return tuple(found)


def _modalities(raw: dict[str, Any]) -> tuple[Modality, ...]:
    found = []
    for i, m in enumerate(v.tables(raw, "modalities", "[[modalities]]"), start=1):
        where = f"modalitet {i}"
        found.append(
            Modality(
                v.text(m, "code", where, required=True),
                v.text(m, "name", where, required=True),
                v.texts(m, "rooms", where),
                v.flag(m, "pregnancy", where),
                v.flag(m, "mr_safety", where),
            )
        )
    v.unique((m.code for m in found), "Modaliteten")
    return tuple(found)


def _exams(raw: dict[str, Any]) -> tuple[Exam, ...]:
    found = []
    for i, e in enumerate(v.tables(raw, "exams", "[[exams]]"), start=1):
        where = f"undersökning {i}"
        found.append(
            Exam(
                v.text(e, "code", where, required=True),
                v.text(e, "name", where, required=True),
                v.text(e, "modality", where, required=True),
                v.flag(e, "contrast", where),
                v.flag(e, "pregnancy", where),
                v.flag(e, "mr_safety", where),
            )
        )
    v.unique((e.code for e in found), "Undersökningen")
    return tuple(found)


def _contacts(raw: dict[str, Any]) -> dict[str, Contact]:
    found: dict[str, Contact] = {}
    for i, c in enumerate(v.tables(raw, "contacts", "[[contacts]]"), start=1):
        where = f"kontakt {i}"
        key = v.text(c, "key", where, required=True)
        if key in found:
            raise SiteConfigError(f"Kontakten {key} finns två gånger; nycklarna ska vara unika.")
        hours_text = v.texts(c, "hours", where)
        found[key] = Contact(
            key=key,
            name=v.text(c, "name", where, required=True),
            phone=v.text(c, "phone", where),
            fax=v.text(c, "fax", where),
            email=v.text(c, "email", where),
            menu=v.text(c, "menu", where),
            hours_text=hours_text,
            hours=tuple(_parse_window(h) for h in hours_text),
            fallback=v.text(c, "fallback", where),
        )
    return found


def _scenarios(raw: dict[str, Any]) -> dict[str, Scenario]:
    found: dict[str, Scenario] = {}
    for key, s in v.table(raw, "scenarios", "[scenarios]").items():
        where = f"scenariot {key}"
        if not isinstance(s, dict):
            raise SiteConfigError(f"{where} ska vara en tabell, [scenarios.{key}].")
        notifications = []
        for i, n in enumerate(v.tables(s, "notifications", where), start=1):
            item = f"{where}, avisering {i}"
            notifications.append(
                Notification(
                    v.text(n, "key", item, required=True), v.text(n, "label", item, required=True)
                )
            )
        v.unique((n.key for n in notifications), f"I {where} finns aviseringen")
        found[key] = Scenario(
            key=key,
            name=v.text(s, "name", where, required=True),
            still_works=v.texts(s, "still_works", where),
            steps=v.texts(s, "steps", where),
            calls=v.texts(s, "calls", where),
            notifications=tuple(notifications),
        )
    return found


# tomllib's messages, which read "<message> (at line L, column C)" or "(at end of document)".
_TOML_MESSAGES = {
    "Invalid value": "Ogiltigt värde",
    "Invalid statement": "Ogiltig rad",
    "Unterminated string": "Texten saknar sitt avslutande citattecken",
    "Expected '=' after a key in a key/value pair": "Likhetstecken (=) saknas efter namnet",
    "Expected newline or end of document after a statement": "Ny rad saknas efter värdet",
    "Unclosed array": "Listan saknar sin avslutande ]",
    "Unclosed inline table": "Tabellen saknar sin avslutande }",
    "Expected ']' at the end of a table declaration": "Avsnittsnamnet saknar sin avslutande ]",
    "Expected ']]' at the end of an array declaration": "Avsnittsnamnet saknar sin avslutande ]]",
    "Cannot overwrite a value": "Värdet är redan angivet",
    "Invalid initial character for a key part": "Ogiltigt första tecken i ett namn",
    "Invalid date or datetime": "Ogiltigt datum eller klockslag",
}
_TOML_WHERE = re.compile(
    r"^(?P<message>.*?) \(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$"
)


def toml_problem(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message in Swedish, with where in the text the problem is."""
    found = _TOML_WHERE.match(str(exc))
    if found is None:
        return "Syntaxfel."
    message = _TOML_MESSAGES.get(found["message"])
    if found["line"] is None:
        return f"{message or 'Syntaxfel'} i slutet av filen."
    where = f"rad {found['line']}, kolumn {found['column']}"
    return f"{message} på {where}." if message else f"Syntaxfel på {where}."


def parse_site_config(text: str) -> SiteConfig:
    """Parse and check a site TOML; raise SiteConfigError with a Swedish message."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SiteConfigError(f"TOML-filen går inte att läsa: {toml_problem(exc)}") from exc
    site = raw.get("site")
    if not isinstance(site, dict):
        raise SiteConfigError("Avsnittet [site] saknas.")
    try:
        priorities = _priorities(raw)
        modalities = _modalities(raw)
        exams = _exams(raw)
        contacts = _contacts(raw)
        scenarios = _scenarios(raw)
        site_fields = {
            key: v.text(site, key, "[site]", required=key in ("code", "name"))
            for key in ("code", "name", "department", "care_unit", "region", "fax", "phone")
        }
        four_eyes = v.flag(site, "four_eyes", "[site]")
    except v.ConfigValueError as exc:
        raise SiteConfigError(str(exc)) from exc
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
        **site_fields,
        four_eyes=four_eyes,
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
