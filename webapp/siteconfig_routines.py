"""The [routines] part of the site TOML: external reviewer, image transfer and release of images."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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


def _texts(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RoutinesConfigError(f"{where} ska vara en lista.")
    return tuple(str(v) for v in value if str(v).strip())


def _checklist(value: Any, where: str) -> tuple[str, ...]:
    return v.ticked_once(_texts(value, where), where)


def _table(raw: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise RoutinesConfigError(f"[{where}] ska vara en tabell.")
    return value


def _required(item: dict[str, Any], key: str, where: str, *, max_length: int | None = None) -> str:
    value = item.get(key)
    if value in ("", None):
        raise RoutinesConfigError(f"'{key}' saknas i {where}.")
    if max_length is not None:
        # Stored with each call or transfer: longer would fail the write (PostgreSQL).
        v.longest(str(value), max_length, f"{where}: {key}")
    return str(value)


def _unique(keys: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise RoutinesConfigError(f"Nyckeln '{key}' finns två gånger i {where}.")
        seen.add(key)


def _reviewer(raw: dict[str, Any]) -> ExternalReviewerConfig:
    where = "routines.external_reviewer"
    routes = tuple(
        ImageRoute(
            key=_required(r, "key", f"[[{where}.routes]]", max_length=40),
            name=_required(r, "name", f"[[{where}.routes]]"),
            hint=str(r.get("hint", "")),
        )
        for r in raw.get("routes", [])
    )
    _unique((r.key for r in routes), f"[[{where}.routes]]")
    defaults = ExternalReviewerConfig()
    return ExternalReviewerConfig(
        contacts=_texts(raw.get("contacts"), f"{where}.contacts"),
        fax_contact=str(raw.get("fax_contact", "")),
        escalation_contact=str(raw.get("escalation_contact", "")),
        admin_contact=str(raw.get("admin_contact", "")),
        who_calls_whom=_texts(raw.get("who_calls_whom"), f"{where}.who_calls_whom"),
        checklist=_checklist(raw.get("checklist"), f"{where}.checklist"),
        admin_subject=str(raw.get("admin_subject", defaults.admin_subject)),
        admin_body=str(raw.get("admin_body", "")),
        routes=routes,
    )


def _transfer(raw: dict[str, Any]) -> TransferConfig:
    where = "routines.transfer"
    computers = tuple(
        LinkComputer(
            name=_required(c, "name", f"[[{where}.link_computers]]"),
            place=str(c.get("place", "")),
            role=str(c.get("role", "")),
        )
        for c in raw.get("link_computers", [])
    )
    counterparts = tuple(
        Counterpart(
            key=_required(c, "key", f"[[{where}.counterparts]]", max_length=60),
            name=_required(c, "name", f"[[{where}.counterparts]]"),
            region=str(c.get("region", "")),
            phone=v.number(c, "phone", f"motpart {i} ({c.get('key')})"),
            via=_texts(c.get("via"), f"{where}.counterparts.via"),
            note=str(c.get("note", "")),
        )
        for i, c in enumerate(raw.get("counterparts", []), start=1)
    )
    _unique((c.key for c in counterparts), f"[[{where}.counterparts]]")
    for c in counterparts:
        # A transfer keeps the counterpart as "name (region)".
        shown = f"{c.name} ({c.region})" if c.region else c.name
        v.longest(shown, 200, f"[[{where}.counterparts]] {c.key}: name och region")
    via_regions = _texts(raw.get("via_regions"), f"{where}.via_regions")
    for region in via_regions:
        v.longest(region, 200, f"{where}.via_regions")
    return TransferConfig(
        link_computers=computers,
        via_regions=via_regions,
        counterparts=counterparts,
        first_steps=_texts(raw.get("first_steps"), f"{where}.first_steps"),
        problems_sending=_checklist(raw.get("problems_sending"), f"{where}.problems_sending"),
        problems_receiving=_checklist(raw.get("problems_receiving"), f"{where}.problems_receiving"),
        contacts=_texts(raw.get("contacts"), f"{where}.contacts"),
        dvd_hint=str(raw.get("dvd_hint", "")),
    )


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
    defaults = ReleaseConfig()
    hospitals = _texts(raw.get("own_region_hospitals"), f"{where}.own_region_hospitals")
    for hospital in hospitals:
        v.longest(hospital, 200, f"{where}.own_region_hospitals")
    return ReleaseConfig(
        own_region_hospitals=hospitals,
        archive_name=str(raw.get("archive_name", defaults.archive_name)),
        archive_push_route=str(raw.get("archive_push_route", defaults.archive_push_route)),
        iep_name=str(raw.get("iep_name", defaults.iep_name)),
        billing_unit=str(raw.get("billing_unit", defaults.billing_unit)),
        billing_address=str(raw.get("billing_address", "")),
        billing_product=str(raw.get("billing_product", "")),
        fee_note=str(raw.get("fee_note", "")),
        contacts=_texts(raw.get("contacts"), f"{where}.contacts"),
        media=_media(raw),
    )


def parse_routines(raw: Any, contact_keys: Iterable[str]) -> RoutinesConfig:
    """Parse [routines]; a missing section gives empty routines, unknown keys are ignored."""
    if raw is None:
        return RoutinesConfig()
    if not isinstance(raw, dict):
        raise RoutinesConfigError("[routines] ska vara en tabell.")
    try:
        config = RoutinesConfig(
            external_reviewer=_reviewer(_table(raw, "external_reviewer", "routines")),
            transfer=_transfer(_table(raw, "transfer", "routines")),
            release=_release(_table(raw, "release", "routines")),
        )
    except (TypeError, AttributeError) as exc:
        raise RoutinesConfigError(f"Fel struktur i [routines]: {exc}") from exc
    except v.ConfigValueError as exc:
        message = str(exc)
        # A number's message names the counterpart only; the others name their section.
        raise RoutinesConfigError(
            message if message.startswith(("[", "routines.")) else f"[routines.transfer] {message}"
        ) from exc
    known = set(contact_keys)
    reviewer = config.external_reviewer
    named = [
        *reviewer.contacts,
        reviewer.fax_contact,
        reviewer.escalation_contact,
        reviewer.admin_contact,
        *config.transfer.contacts,
        *config.release.contacts,
    ]
    for key in named:
        if key and key not in known:
            raise RoutinesConfigError(f"[routines] hänvisar till okänd kontakt {key}.")
    return config
