"""Loading the site configuration into the request, and keeping it in sync with its file."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import g
from sqlalchemy import select

from .config import EXAMPLE_SITE
from .extensions import db
from .models import Site
from .siteconfig import SiteConfig, parse_site_config
from .storage import write_transaction

_cache: dict[tuple[int, str], SiteConfig] = {}
_names: dict[tuple[int, str], str] = {}


def site_config(site: Site) -> SiteConfig:
    """The parsed configuration of a site, parsed once per saved version."""
    key = (site.id, site.updated_at.isoformat())
    config = _cache.get(key)
    if config is None:
        config = parse_site_config(site.config_toml)
        _cache[key] = config
        _names[key] = site.name
    return config


def load_site_context(site_id: int, updated_at: datetime) -> None:
    """Put the user's site configuration on g.

    The session check already read the site's version (updated_at), so the site row itself is
    only read when that version has not been parsed yet.
    """
    key = (site_id, updated_at.isoformat())
    config = _cache.get(key)
    if config is None:
        site = db.session.get(Site, site_id)
        if site is None:
            raise LookupError(f"site {site_id} is gone")
        config = site_config(site)
        key = (site.id, site.updated_at.isoformat())
    g.site_config = config
    g.care_unit = config.care_unit or _names[key]


def ensure_site_from_file(path: Path) -> Site:
    """Create or refresh the site from its TOML file; the file wins when it is newer."""
    if not path.exists():
        path.write_text(EXAMPLE_SITE.read_text(encoding="utf-8"), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    config = parse_site_config(text)
    with write_transaction() as session:
        site = session.scalar(select(Site).where(Site.code == config.code))
        if site is None:
            site = Site(code=config.code, name=config.name, config_toml=text)
            session.add(site)
        elif site.config_toml != text:
            site.config_toml = text
            site.name = config.name
    from .reporting.library import ensure_default_templates

    ensure_default_templates(site.id)
    return site


def save_site_config(site_id: int, text: str, path: Path | None) -> SiteConfig:
    """Validate and store an admin's edit; also written to the data dir's file."""
    from .audit import log_event

    config = parse_site_config(text)
    with write_transaction() as session:
        site = session.get(Site, site_id)
        if site is None:
            raise ValueError("Okänd enhet")
        if config.code != site.code:
            raise ValueError("Enhetskoden (site.code) kan inte ändras här.")
        site.config_toml = text
        site.name = config.name
        log_event("site_config_change", detail=f"{site.code}", site_id=site.id)
    if path is not None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return config
