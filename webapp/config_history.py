"""What a code meant in a site configuration's earlier, replaced versions."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import select

from .extensions import db
from .models import RecordVersion
from .siteconfig import SiteConfig

SITE_CONFIG_ENTITY = "site_config"


def with_earlier_labels(site_id: int, config: SiteConfig) -> SiteConfig:
    """The configuration, also naming the priorities and modalities it has dropped.

    It also knows the names its exams had before a rename: the cases saved then carry them.

    A code takes the label it last had in a replaced version, what staff last saw for it. The
    versions are read only when the configuration is parsed, once per saved version.
    """
    priorities = {p.code for p in config.priorities}
    modalities = {m.code for m in config.modalities}
    earlier_priorities: dict[str, str] = {}
    earlier_modalities: dict[str, str] = {}
    exams = {e.code: e.name for e in config.exams}
    earlier_exams: dict[str, set[str]] = {}
    texts = db.session.scalars(
        select(RecordVersion.data)
        .where(RecordVersion.entity == SITE_CONFIG_ENTITY, RecordVersion.entity_id == site_id)
        .order_by(RecordVersion.version.desc())
    )
    for data in texts:
        raw = _read(str(data.get("config_toml", "")))
        for code, label in _labels(raw, "priorities", "label"):
            if code not in priorities:
                earlier_priorities.setdefault(code, label)
        for code, name in _labels(raw, "modalities", "name"):
            if code not in modalities:
                earlier_modalities.setdefault(code, name)
        for code, name in _labels(raw, "exams", "name"):
            if code in exams and name != exams[code]:
                earlier_exams.setdefault(code, set()).add(name)
    if not earlier_priorities and not earlier_modalities and not earlier_exams:
        return config
    return replace(
        config,
        earlier_priority_labels=earlier_priorities,
        earlier_modality_names=earlier_modalities,
        earlier_exam_names={code: frozenset(names) for code, names in earlier_exams.items()},
    )


def _read(text: str) -> dict[str, object]:
    # Read as plain TOML, not by the parser: an old version may break a rule added since, and
    # its labels are still what staff saw then.
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return {}


def _labels(raw: dict[str, object], section: str, key: str) -> Iterable[tuple[str, str]]:
    blocks = raw.get(section)
    if not isinstance(blocks, list):
        return []
    return [
        (b["code"], b[key].strip())
        for b in blocks
        if isinstance(b, dict)
        and isinstance(b.get("code"), str)
        and isinstance(b.get(key), str)
        and b[key].strip()
    ]
