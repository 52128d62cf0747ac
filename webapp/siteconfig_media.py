"""[routines.release.media]: which media each kind of recipient may get images on."""

from __future__ import annotations

from typing import Any

from . import siteconfig_values as v
from .release_terms import DEFAULT_MEDIA_BY_KIND, MEDIA_KINDS

# (recipient kind, the media it may get) for every kind; a tuple, so the config stays hashable.
MediaByKind = tuple[tuple[str, tuple[str, ...]], ...]


def _media_list(value: Any, kind: str, where: str) -> tuple[str, ...]:
    """One recipient's media, in the routine's order; a broken list keeps the routine's own."""
    example = f'{kind} = ["cd", "dvd"]'
    if not isinstance(value, list) or not all(isinstance(m, str) for m in value):
        v.rule(
            "%(where)s: %(kind)s ska vara en lista av media, t.ex. %(example)s.",
            where=where,
            kind=kind,
            example=example,
        )
        return DEFAULT_MEDIA_BY_KIND[kind]
    wanted = {m.strip().lower() for m in value}
    for medium in sorted(wanted - set(MEDIA_KINDS)):
        v.rule(
            '%(where)s: %(kind)s: "%(medium)s" är inget media; möjliga: %(media)s.',
            where=where,
            kind=kind,
            medium=medium,
            media=", ".join(MEDIA_KINDS),
        )
    found = tuple(m for m in MEDIA_KINDS if m in wanted)
    if not found:
        if not value:
            # Nothing at all would leave a recipient that can get nothing but the portal, which
            # abroad cannot use: the admin takes the line away instead.
            v.rule(
                "%(where)s: %(kind)s = [] tillåter inget media; ange minst ett av "
                "%(media)s, eller ta bort raden för rutinens standard.",
                where=where,
                kind=kind,
                media=", ".join(MEDIA_KINDS),
            )
        return DEFAULT_MEDIA_BY_KIND[kind]
    return found


def parse_media(raw: dict[str, Any]) -> MediaByKind:
    """[routines.release.media]: media per recipient kind; a kind left out keeps the routine's."""
    where = "routines.release.media"
    table = raw.get("media", {})
    if not isinstance(table, dict):
        v.rule(
            "[%(where)s] ska vara en tabell med en rad per mottagare, "
            't.ex. abroad = ["cd", "dvd"].',
            where=where,
        )
        table = {}
    kinds = tuple(k for k, media in DEFAULT_MEDIA_BY_KIND.items() if media)
    chosen: dict[str, tuple[str, ...]] = {}
    for kind, value in table.items():
        if kind not in DEFAULT_MEDIA_BY_KIND:
            v.rule(
                "%(where)s: %(kind)s är ingen mottagare; kontrollera stavningen "
                "(möjliga: %(kinds)s).",
                where=where,
                kind=kind,
                kinds=", ".join(kinds),
            )
        elif kind not in kinds:
            v.rule(
                "%(where)s: %(kind)s får inga media – sjukhusen inom regionen hämtar bilderna från "
                "arkivet; ta bort raden.",
                where=where,
                kind=kind,
            )
        else:
            chosen[kind] = _media_list(value, kind, where)
    return tuple((kind, chosen.get(kind, media)) for kind, media in DEFAULT_MEDIA_BY_KIND.items())
