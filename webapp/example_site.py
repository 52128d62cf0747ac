"""The fictional example site a first start writes: told apart from a department's real one."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .config import EXAMPLE_SITE
from .extensions import db
from .models import (
    Case,
    Draft,
    ImageRelease,
    ImageTransfer,
    Incident,
    ReservedCode,
    ReviewerExchange,
    Site,
)
from .site_files import SiteFiles
from .siteconfig import SiteConfig, SiteConfigError, parse_site_config

# Rows that hold what staff did at a site: a site with any of them is in use, never the example.
_WORK = (Case, Incident, Draft, ReservedCode, ReviewerExchange, ImageTransfer, ImageRelease)


@lru_cache(maxsize=1)
def example_config() -> SiteConfig:
    """The example site's configuration as this version of the app ships it."""
    return parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))


def _example_numbers() -> set[str]:
    example = example_config()
    numbers = {example.fax, example.phone}
    for contact in example.contacts.values():
        numbers |= {contact.fax, *contact.phones}
    return numbers - {""}


def shows_example_numbers(config: SiteConfig) -> bool:
    """Whether a site still reads as the example: its made-up numbers, or its code and name.

    Staff would fax reports to, and phone, numbers no one answers.
    """
    example = example_config()
    if config.fax in _example_numbers() or config.phone in _example_numbers():
        return True
    return config.code == example.code and config.name == example.name


def example_site_lines(files: SiteFiles) -> list[str]:
    """The start-up's warning for each site that still reads as the example (app context)."""
    from .sites import site_config

    return [
        f"Varning: enheten {site.code} har fortfarande exempelenhetens påhittade nummer; "
        f"faxade svar och samtal skulle gå till nummer som ingen svarar på. Byt ut enhetsfilen "
        f"{files.file_for(site.code)} mot er enhets egen innan appen tas i bruk."
        for site in db.session.scalars(select(Site).order_by(Site.id))
        if shows_example_numbers(site_config(site))
    ]


def is_untouched_example(text: str) -> bool:
    """Whether a site file's text is still the example's (its code and made-up numbers)."""
    # The example's code and its site numbers, rather than its exact text: an upgrade may
    # change the example file's comments or routines, and an admin who tried the editor has
    # still made no site of their own while the made-up numbers remain.
    try:
        config = parse_site_config(text, strict=False)
    except SiteConfigError:
        return False
    example = example_config()
    return (config.code, config.fax, config.phone) == (example.code, example.fax, example.phone)


def replaceable_example(session: Session, codes_in_files: Iterable[str | None]) -> Site | None:
    """The example site, when a department's own file has taken the place of its file.

    Only while nothing has been done there (no case, incident, draft or routine record): its
    users and report templates then belong to the department, which the first admin set up.
    """
    site = session.scalar(select(Site).where(Site.code == example_config().code))
    if site is None or site.code in set(codes_in_files):
        return None
    if not is_untouched_example(site.config_toml):
        return None
    for model in _WORK:
        if session.scalar(select(exists().where(model.site_id == site.id))):
            return None
    return site
