"""The [routines] part of the site TOML: external reviewer, image transfer and release of images."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from typing import Any

from . import siteconfig_routine_values as rv
from . import siteconfig_values as v
from .checklist_keys import REVIEWER_MESSAGE_KEY
from .refusal import Message
from .release_terms import DEFAULT_MEDIA_BY_KIND
from .siteconfig_media import MediaByKind, parse_media
from .siteconfig_routine_values import RoutinesConfigError


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
    # The key of the scenarios' notification (or follow-up) that the administrators are told:
    # the reviewer page's "message sent" and that item are then one tick.
    admin_notification: str = ""
    who_calls_whom: tuple[str, ...] = ()
    checklist: tuple[str, ...] = ()
    admin_subject: str = "Problem med extern granskning"
    admin_body: str = ""
    routes: tuple[ImageRoute, ...] = ()

    def route(self, key: str) -> ImageRoute | None:
        return next((r for r in self.routes if r.key == key), None)

    @property
    def admin_tick_key(self) -> str:
        """The incident log's key of the reviewer page's "message sent" tick."""
        return self.admin_notification or REVIEWER_MESSAGE_KEY


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
    # The [routines.*] sections the file has: the release and reviewer routines have defaults
    # for every setting, so only their section tells that the site has them.
    sections: frozenset[str] = frozenset()

    @property
    def has_reviewer(self) -> bool:
        return "external_reviewer" in self.sections

    @property
    def has_transfer(self) -> bool:
        """Whether a transfer can be requested: the form names a hospital in another region."""
        return bool(self.transfer.counterparts)

    @property
    def has_release(self) -> bool:
        return "release" in self.sections


def _reviewer(raw: dict[str, Any]) -> ExternalReviewerConfig:
    where = "routines.external_reviewer"
    v.known(raw, _names(ExternalReviewerConfig), where)
    routes: list[ImageRoute] = []
    for i, r in enumerate(rv.items(raw, "routes", where), start=1):
        item = rv.item_where(f"{where}.routes", i, r, "key")
        v.known(r, _names(ImageRoute), item)
        routes.append(
            ImageRoute(
                key=rv.required(r, "key", item, max_length=40),
                name=rv.required(r, "name", item),
                hint=rv.text(r, "hint", item),
            )
        )
    rv.unique((r.key for r in routes), f"[[{where}.routes]]")
    defaults = ExternalReviewerConfig()
    return ExternalReviewerConfig(
        contacts=rv.texts(raw, "contacts", where),
        fax_contact=rv.text(raw, "fax_contact", where),
        escalation_contact=rv.text(raw, "escalation_contact", where),
        admin_contact=rv.text(raw, "admin_contact", where),
        admin_notification=rv.text(raw, "admin_notification", where),
        who_calls_whom=rv.texts(raw, "who_calls_whom", where),
        checklist=rv.checklist(raw, "checklist", where),
        admin_subject=rv.text(raw, "admin_subject", where, defaults.admin_subject),
        admin_body=rv.text(raw, "admin_body", where),
        routes=tuple(routes),
    )


def _transfer(raw: dict[str, Any]) -> TransferConfig:
    where = "routines.transfer"
    v.known(raw, _names(TransferConfig), where)
    computers: list[LinkComputer] = []
    for i, c in enumerate(rv.items(raw, "link_computers", where), start=1):
        item = rv.item_where(f"{where}.link_computers", i, c, "name")
        v.known(c, _names(LinkComputer), item)
        computers.append(
            LinkComputer(
                name=rv.required(c, "name", item),
                place=rv.text(c, "place", item),
                role=rv.text(c, "role", item),
            )
        )
    counterparts: list[Counterpart] = []
    for i, c in enumerate(rv.items(raw, "counterparts", where), start=1):
        item = rv.item_where(f"{where}.counterparts", i, c, "key")
        v.known(c, _names(Counterpart), item)
        counterparts.append(
            Counterpart(
                key=rv.required(c, "key", item, max_length=60),
                name=rv.required(c, "name", item),
                region=rv.text(c, "region", item),
                phone=v.number(
                    c, "phone", Message("motpart %(i)s (%(key)s)", {"i": i, "key": c.get("key")})
                ),
                via=rv.texts(c, "via", item),
                note=rv.text(c, "note", item),
            )
        )
    rv.unique((counterpart.key for counterpart in counterparts), f"[[{where}.counterparts]]")
    for counterpart in counterparts:
        # A transfer keeps the counterpart as "name (region)".
        name, region = counterpart.name, counterpart.region
        shown = f"{name} ({region})" if region else name
        v.longest(
            shown,
            200,
            Message(
                "[[%(where)s.counterparts]] %(key)s: name och region",
                {"where": where, "key": counterpart.key},
            ),
        )
    via_regions = rv.texts(raw, "via_regions", where)
    for region in via_regions:
        v.longest(region, 200, f"{where}.via_regions")
    return TransferConfig(
        link_computers=tuple(computers),
        via_regions=via_regions,
        counterparts=tuple(counterparts),
        first_steps=rv.texts(raw, "first_steps", where),
        problems_sending=rv.checklist(raw, "problems_sending", where),
        problems_receiving=rv.checklist(raw, "problems_receiving", where),
        contacts=rv.texts(raw, "contacts", where),
        dvd_hint=rv.text(raw, "dvd_hint", where),
    )


def _names(config: type) -> tuple[str, ...]:
    """The keys of a part of [routines]: its dataclass's fields, so the two stay the same."""
    return tuple(f.name for f in fields(config))


def _release(raw: dict[str, Any]) -> ReleaseConfig:
    where = "routines.release"
    v.known(raw, _names(ReleaseConfig), where)
    defaults = ReleaseConfig()
    hospitals = rv.texts(raw, "own_region_hospitals", where)
    for hospital in hospitals:
        v.longest(hospital, 200, f"{where}.own_region_hospitals")
    return ReleaseConfig(
        own_region_hospitals=hospitals,
        archive_name=rv.text(raw, "archive_name", where, defaults.archive_name),
        archive_push_route=rv.text(raw, "archive_push_route", where, defaults.archive_push_route),
        iep_name=rv.text(raw, "iep_name", where, defaults.iep_name),
        billing_unit=rv.text(raw, "billing_unit", where, defaults.billing_unit),
        billing_address=rv.text(raw, "billing_address", where),
        billing_product=rv.text(raw, "billing_product", where),
        fee_note=rv.text(raw, "fee_note", where),
        contacts=rv.texts(raw, "contacts", where),
        media=parse_media(raw),
    )


ROUTINE_SECTIONS = ("external_reviewer", "transfer", "release")


def parse_routines(
    raw: Any, contact_keys: Iterable[str], notification_keys: Iterable[str] = ()
) -> RoutinesConfig:
    """Parse [routines]; a missing section gives empty routines.

    notification_keys: the scenarios' notifications and follow-ups, which the reviewer
    routine's admin_notification must name one of.

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
            external_reviewer=_reviewer(rv.table(raw, "external_reviewer", "routines")),
            transfer=_transfer(rv.table(raw, "transfer", "routines")),
            release=_release(rv.table(raw, "release", "routines")),
            sections=frozenset(section for section in ROUTINE_SECTIONS if section in raw),
        )
    except v.ConfigValueError as exc:
        # A number's message names the counterpart only; the others name their section.
        if str(exc).startswith(("[", "routines")):
            raise RoutinesConfigError(exc.message, **exc.values) from exc
        raise RoutinesConfigError(
            "[routines.transfer] %(problem)s", problem=Message(exc.message, exc.values)
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
            raise RoutinesConfigError(
                "%(where)s: %(name)s hänvisar till okänd kontakt %(key)s.",
                where=where,
                name=name,
                key=key,
            )
    try:
        return _admin_linked(config, set(notification_keys))
    except v.ConfigValueError as exc:
        raise RoutinesConfigError(exc.message, **exc.values) from exc


def _admin_linked(config: RoutinesConfig, notification_keys: set[str]) -> RoutinesConfig:
    """The routines, the reviewer's admin_notification left out when no scenario has it."""
    key = config.external_reviewer.admin_notification
    if not key or key in notification_keys:
        return config
    # A tick under a key no routine shows would be done on the reviewer page and missing on the
    # incident's; stored so, the laptop still starts with the two ticked apart.
    v.rule(
        "routines.external_reviewer: admin_notification hänvisar till %(key)s, men inget "
        "scenario har en avisering eller uppföljning med den nyckeln.",
        key=key,
    )
    return replace(
        config, external_reviewer=replace(config.external_reviewer, admin_notification="")
    )
