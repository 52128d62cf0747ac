"""The [routines] part of the site TOML: external reviewer, image transfer and release of images."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from . import siteconfig_values as v
from .release_terms import DEFAULT_MEDIA_BY_KIND, MEDIA_KINDS

# (recipient kind, the media it may get) for every kind; a tuple, so the config stays hashable.
MediaByKind = tuple[tuple[str, tuple[str, ...]], ...]


class RoutinesConfigError(ValueError):
    """The [routines] section is not usable; the message is Swedish."""


@dataclass(frozen=True)
class ImageRoute:
    """A way to get images to the external reviewer (modality, PACS destination, archive ...)."""

    key: str
    name: str
    hint: str = ""


@dataclass(frozen=True)
class ExternalReviewerConfig:
    contacts: tuple[str, ...] = ()
    fax_contact: str = ""
    escalation_contact: str = ""
    admin_contact: str = ""
    who_calls_whom: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()
    admin_subject: str = "Problem med extern granskning"
    admin_body: str = ""
    routes: tuple[ImageRoute, ...] = ()

    def route(self, key: str) -> ImageRoute | None:
        return next((r for r in self.routes if r.key == key), None)


@dataclass(frozen=True)
class LinkComputer:
    name: str
    place: str = ""
    role: str = ""


@dataclass(frozen=True)
class Counterpart:
    """A hospital in another region that images are sent to or received from."""

    key: str
    name: str
    region: str = ""
    phone: str = ""
    via: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class TransferConfig:
    link_computers: tuple[LinkComputer, ...] = ()
    via_regions: tuple[str, ...] = ()
    counterparts: tuple[Counterpart, ...] = ()
    first_steps: tuple[str, ...] = ()
    problems_sending: tuple[str, ...] = ()
    problems_receiving: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()
    dvd_hint: str = ""

    def counterpart(self, key: str) -> Counterpart | None:
        return next((c for c in self.counterparts if c.key == key), None)

    def checklist(self, key: str) -> tuple[str, ...]:
        return {"send": self.problems_sending, "receive": self.problems_receiving}.get(key, ())

    def routes_via(self, counterpart: Counterpart | None) -> tuple[str, ...]:
        """Neighbouring regions to try for a counterpart: its own list, else the site's."""
        return counterpart.via if counterpart and counterpart.via else self.via_regions


@dataclass(frozen=True)
class ReleaseConfig:
    own_region_hospitals: tuple[str, ...] = ()
    archive_name: str = "regionarkivet"
    archive_push_route: str = "teleradiologidestinationen i PACS"
    iep_name: str = "IEP"
    billing_unit: str = "fakturaenheten"
    billing_address: str = ""
    billing_product: str = ""
    fee_note: str = ""
    contacts: tuple[str, ...] = ()
    media: MediaByKind = tuple(DEFAULT_MEDIA_BY_KIND.items())


@dataclass(frozen=True)
class RoutinesConfig:
    external_reviewer: ExternalReviewerConfig = field(default_factory=ExternalReviewerConfig)
    transfer: TransferConfig = field(default_factory=TransferConfig)
    release: ReleaseConfig = field(default_factory=ReleaseConfig)


# A value the [routines] part reads as a text: a whole number is taken as its digits.
def _is_text(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _text(raw: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = raw.get(key, default)
    if not _is_text(value):
        # Read as its Python text before this check; a stored one keeps loading so.
        v.rule(f'{where}: {key} ska vara en text inom citattecken, t.ex. {key} = "…".')
    return str(value)


def _texts(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if value is None:
        return ()
    example = f'{key} = ["…", "…"]'
    if not isinstance(value, list):
        # A single text would be read letter by letter.
        raise v.ConfigValueError(f"{where}: {key} ska vara en lista av texter, t.ex. {example}.")
    if not all(_is_text(item) for item in value):
        v.rule(f"{where}: {key} ska vara en lista av texter inom citattecken, t.ex. {example}.")
    return tuple(str(item) for item in value if str(item).strip())


def _checklist(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    return v.ticked_once(_texts(raw, key, where), f"{where}.{key}")


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise v.ConfigValueError(f"[{where}.{key}] ska vara en tabell.")
    return value


def _items(raw: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """The blocks [[where.key]], one table each; written otherwise, none (a broken rule)."""
    value = raw.get(key, [])
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return value
    v.rule(f"{where}: {key} ska skrivas som block [[{where}.{key}]] med en tabell per post.")
    return []


def _item_where(where: str, i: int, item: dict[str, Any], key: str) -> str:
    """One block of [[where]], by its number and, when it has one, its key or name."""
    named = item.get(key)
    shown = f" ({named})" if _is_text(named) and str(named) else ""
    return f"[[{where}]] {i}{shown}"


def _required(item: dict[str, Any], key: str, where: str, *, max_length: int | None = None) -> str:
    if item.get(key) in ("", None):
        raise RoutinesConfigError(f"'{key}' saknas i {where}.")
    value = _text(item, key, where)
    if max_length is not None:
        # Stored with each call or transfer: longer would fail the write (PostgreSQL).
        v.longest(value, max_length, f"{where}: {key}")
    return value


def _unique(keys: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise RoutinesConfigError(f"Nyckeln '{key}' finns två gånger i {where}.")
        seen.add(key)


def _reviewer(raw: dict[str, Any]) -> ExternalReviewerConfig:
    where = "routines.external_reviewer"
    v.known(raw, _names(ExternalReviewerConfig), where)
    routes: list[ImageRoute] = []
    for i, r in enumerate(_items(raw, "routes", where), start=1):
        item = _item_where(f"{where}.routes", i, r, "key")
        v.known(r, _names(ImageRoute), item)
        routes.append(
            ImageRoute(
                key=_required(r, "key", item, max_length=40),
                name=_required(r, "name", item),
                hint=_text(r, "hint", item),
            )
        )
    _unique((r.key for r in routes), f"[[{where}.routes]]")
    defaults = ExternalReviewerConfig()
    return ExternalReviewerConfig(
        contacts=_texts(raw, "contacts", where),
        fax_contact=_text(raw, "fax_contact", where),
        escalation_contact=_text(raw, "escalation_contact", where),
        admin_contact=_text(raw, "admin_contact", where),
        who_calls_whom=_texts(raw, "who_calls_whom", where),
        checklist=_checklist(raw, "checklist", where),
        admin_subject=_text(raw, "admin_subject", where, defaults.admin_subject),
        admin_body=_text(raw, "admin_body", where),
        routes=tuple(routes),
    )


def _transfer(raw: dict[str, Any]) -> TransferConfig:
    where = "routines.transfer"
    v.known(raw, _names(TransferConfig), where)
    computers: list[LinkComputer] = []
    for i, c in enumerate(_items(raw, "link_computers", where), start=1):
        item = _item_where(f"{where}.link_computers", i, c, "name")
        v.known(c, _names(LinkComputer), item)
        computers.append(
            LinkComputer(
                name=_required(c, "name", item),
                place=_text(c, "place", item),
                role=_text(c, "role", item),
            )
        )
    counterparts: list[Counterpart] = []
    for i, c in enumerate(_items(raw, "counterparts", where), start=1):
        item = _item_where(f"{where}.counterparts", i, c, "key")
        v.known(c, _names(Counterpart), item)
        counterparts.append(
            Counterpart(
                key=_required(c, "key", item, max_length=60),
                name=_required(c, "name", item),
                region=_text(c, "region", item),
                phone=v.number(c, "phone", f"motpart {i} ({c.get('key')})"),
                via=_texts(c, "via", item),
                note=_text(c, "note", item),
            )
        )
    _unique((counterpart.key for counterpart in counterparts), f"[[{where}.counterparts]]")
    for counterpart in counterparts:
        # A transfer keeps the counterpart as "name (region)".
        name, region = counterpart.name, counterpart.region
        shown = f"{name} ({region})" if region else name
        v.longest(shown, 200, f"[[{where}.counterparts]] {counterpart.key}: name och region")
    via_regions = _texts(raw, "via_regions", where)
    for region in via_regions:
        v.longest(region, 200, f"{where}.via_regions")
    return TransferConfig(
        link_computers=tuple(computers),
        via_regions=via_regions,
        counterparts=tuple(counterparts),
        first_steps=_texts(raw, "first_steps", where),
        problems_sending=_checklist(raw, "problems_sending", where),
        problems_receiving=_checklist(raw, "problems_receiving", where),
        contacts=_texts(raw, "contacts", where),
        dvd_hint=_text(raw, "dvd_hint", where),
    )


def _names(config: type) -> tuple[str, ...]:
    """The keys of a part of [routines]: its dataclass's fields, so the two stay the same."""
    return tuple(f.name for f in fields(config))


def _media_list(value: Any, kind: str, where: str) -> tuple[str, ...]:
    """One recipient's media, in the routine's order; a broken list keeps the routine's own."""
    example = f'{kind} = ["cd", "dvd"]'
    if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
        v.rule(f"{where}: {kind} ska vara en lista av media, t.ex. {example}.")
        return DEFAULT_MEDIA_BY_KIND[kind]
    wanted = {m.strip().lower() for m in value}
    for medium in sorted(wanted - set(MEDIA_KINDS)):
        v.rule(f'{where}: {kind}: "{medium}" är inget media; möjliga: {", ".join(MEDIA_KINDS)}.')
    found = tuple(m for m in MEDIA_KINDS if m in wanted)
    if not found:
        if not value:
            # Nothing at all would leave a recipient that can get nothing but the portal, which
            # abroad cannot use: the admin takes the line away instead.
            v.rule(
                f"{where}: {kind} = [] tillåter inget media; ange minst ett av "
                f"{', '.join(MEDIA_KINDS)}, eller ta bort raden för rutinens standard."
            )
        return DEFAULT_MEDIA_BY_KIND[kind]
    return found


def _media(raw: dict[str, Any]) -> MediaByKind:
    """[routines.release.media]: media per recipient kind; a kind left out keeps the routine's."""
    where = "routines.release.media"
    table = raw.get("media", {})
    if not isinstance(table, dict):
        v.rule(
            f'[{where}] ska vara en tabell med en rad per mottagare, t.ex. abroad = ["cd", "dvd"].'
        )
        table = {}
    kinds = tuple(k for k, media in DEFAULT_MEDIA_BY_KIND.items() if media)
    chosen: dict[str, tuple[str, ...]] = {}
    for kind, value in table.items():
        if kind not in DEFAULT_MEDIA_BY_KIND:
            v.rule(
                f"{where}: {kind} är ingen mottagare; kontrollera stavningen "
                f"(möjliga: {', '.join(kinds)})."
            )
        elif kind not in kinds:
            v.rule(
                f"{where}: {kind} får inga media – sjukhusen inom regionen hämtar bilderna från "
                "arkivet; ta bort raden."
            )
        else:
            chosen[kind] = _media_list(value, kind, where)
    return tuple((kind, chosen.get(kind, media)) for kind, media in DEFAULT_MEDIA_BY_KIND.items())


def _release(raw: dict[str, Any]) -> ReleaseConfig:
    where = "routines.release"
    v.known(raw, _names(ReleaseConfig), where)
    defaults = ReleaseConfig()
    hospitals = _texts(raw, "own_region_hospitals", where)
    for hospital in hospitals:
        v.longest(hospital, 200, f"{where}.own_region_hospitals")
    return ReleaseConfig(
        own_region_hospitals=hospitals,
        archive_name=_text(raw, "archive_name", where, defaults.archive_name),
        archive_push_route=_text(raw, "archive_push_route", where, defaults.archive_push_route),
        iep_name=_text(raw, "iep_name", where, defaults.iep_name),
        billing_unit=_text(raw, "billing_unit", where, defaults.billing_unit),
        billing_address=_text(raw, "billing_address", where),
        billing_product=_text(raw, "billing_product", where),
        fee_note=_text(raw, "fee_note", where),
        contacts=_texts(raw, "contacts", where),
        media=_media(raw),
    )


ROUTINE_SECTIONS = ("external_reviewer", "transfer", "release")


def parse_routines(raw: Any, contact_keys: Iterable[str]) -> RoutinesConfig:
    """Parse [routines]; a missing section gives empty routines.

    A key the app does not read is a broken rule, as elsewhere in the file: misspelt, its
    setting would silently be the default (the fax number the reviewer's fax goes to).
    """
    if raw is None:
        return RoutinesConfig()
    if not isinstance(raw, dict):
        raise RoutinesConfigError("[routines] ska vara en tabell.")
    try:
        v.known(raw, ROUTINE_SECTIONS, "routines")
        config = RoutinesConfig(
            external_reviewer=_reviewer(_table(raw, "external_reviewer", "routines")),
            transfer=_transfer(_table(raw, "transfer", "routines")),
            release=_release(_table(raw, "release", "routines")),
        )
    except v.ConfigValueError as exc:
        message = str(exc)
        # A number's message names the counterpart only; the others name their section.
        raise RoutinesConfigError(
            message if message.startswith(("[", "routines")) else f"[routines.transfer] {message}"
        ) from exc
    known = set(contact_keys)
    reviewer = config.external_reviewer
    named = [
        *(("routines.external_reviewer", "contacts", key) for key in reviewer.contacts),
        ("routines.external_reviewer", "fax_contact", reviewer.fax_contact),
        ("routines.external_reviewer", "escalation_contact", reviewer.escalation_contact),
        ("routines.external_reviewer", "admin_contact", reviewer.admin_contact),
        *(("routines.transfer", "contacts", key) for key in config.transfer.contacts),
        *(("routines.release", "contacts", key) for key in config.release.contacts),
    ]
    for where, name, key in named:
        if key and key not in known:
            raise RoutinesConfigError(f"{where}: {name} hänvisar till okänd kontakt {key}.")
    return config
