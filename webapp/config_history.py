"""What a code meant in a site configuration's earlier, replaced versions."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable

from sqlalchemy import select

from .extensions import db
from .models import RecordVersion
from .sites import SITE_CONFIG_ENTITY


def earlier_priority_labels(site_id: int, codes: Iterable[str]) -> dict[str, str]:
    """The label each priority code last had in a replaced version of the site's configuration.

    Codes no saved version has are left out. The versions are read newest first and only until
    every code is found: a label is what staff last saw, and the read happens only for a code
    the configuration has since dropped.
    """
    wanted = set(codes)
    found: dict[str, str] = {}
    if not wanted:
        return found
    texts = db.session.scalars(
        select(RecordVersion.data)
        .where(RecordVersion.entity == SITE_CONFIG_ENTITY, RecordVersion.entity_id == site_id)
        .order_by(RecordVersion.version.desc())
    )
    for data in texts:
        for code, label in _priority_labels(str(data.get("config_toml", ""))):
            if code in wanted and code not in found:
                found[code] = label
        if len(found) == len(wanted):
            break
    return found


def _priority_labels(text: str) -> Iterable[tuple[str, str]]:
    # Read as plain TOML, not by the parser: an old version may break a rule added since, and
    # its labels are still what staff saw then.
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return []
    blocks = raw.get("priorities")
    if not isinstance(blocks, list):
        return []
    return [
        (p["code"], p["label"].strip())
        for p in blocks
        if isinstance(p, dict)
        and isinstance(p.get("code"), str)
        and isinstance(p.get("label"), str)
        and p["label"].strip()
    ]
