"""The saved versions of a site's configuration, each with what its edit changed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import RecordVersion, User
from ..sites import SITE_CONFIG_ENTITY

SHOWN_VERSIONS = 50


@dataclass(frozen=True)
class ConfigEdit:
    """One saved edit: the version it replaced, who saved it and when, and the changed lines."""

    replaced_version: int
    changed_at: datetime
    changed_by: str
    reason: str
    diff: tuple[str, ...]
    replaced_text: str


def _diff(before: str, after: str) -> tuple[str, ...]:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
    # The two file-name lines say nothing here; the @@ lines say where in the text.
    return tuple(line for line in lines if not line.startswith(("---", "+++")))


def config_edits(site_id: int) -> list[ConfigEdit]:
    """The latest saved edits of the site's configuration, newest first."""
    rows = db.session.execute(
        select(RecordVersion, User.username)
        .outerjoin(User, User.id == RecordVersion.changed_by_id)
        .where(RecordVersion.entity == SITE_CONFIG_ENTITY, RecordVersion.entity_id == site_id)
        .order_by(RecordVersion.version.desc())
        .limit(SHOWN_VERSIONS)
    ).all()
    edits = []
    for version, username in rows:
        before, after = version.changes.get("config_toml", ["", ""])
        edits.append(
            ConfigEdit(
                replaced_version=version.version,
                changed_at=version.changed_at,
                changed_by=username or "",
                reason=version.reason,
                diff=_diff(before, after),
                replaced_text=version.data.get("config_toml", ""),
            )
        )
    return edits


def replaced_text(site_id: int, version: int) -> str | None:
    """The text of one earlier version of the site's configuration, or None if there is none."""
    data = db.session.scalar(
        select(RecordVersion.data).where(
            RecordVersion.entity == SITE_CONFIG_ENTITY,
            RecordVersion.entity_id == site_id,
            RecordVersion.version == version,
        )
    )
    return None if data is None else str(data.get("config_toml", ""))
