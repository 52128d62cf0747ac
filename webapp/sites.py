"""Loading the site configuration into the request, and keeping it in sync with its file."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import g, has_request_context
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .config import EXAMPLE_SITE
from .config_history import SITE_CONFIG_ENTITY, with_earlier_labels
from .example_site import replaceable_example
from .extensions import db
from .models import RecordVersion, Site
from .refusal import Message, Refused
from .site_files import SiteFiles, code_in_file, read_site_file, write_atomically
from .site_usage import check_codes_in_use
from .siteconfig import SiteConfig, SiteConfigError, parse_site_config
from .storage import insert_row, write_transaction

if TYPE_CHECKING:
    from .cases.submissions import SentOnce

STALE_MESSAGE = (
    "Konfigurationen har ändrats sedan du öppnade den (av en annan administratör eller i filen). "
    "Din text finns kvar nedan. Se ändringen under Tidigare versioner; spara igen bara om din "
    "text ska ersätta den."
)


class StaleSiteConfigError(ValueError):
    """The edit was made on a text that has since been replaced; saving it would undo that."""

    def __init__(self, current_hash: str) -> None:
        super().__init__(STALE_MESSAGE)
        self.current_hash = current_hash


def config_hash(text: str) -> str:
    """Names one version of a configuration text, for an edit to say which one it started from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


log = logging.getLogger(__name__)

_cache: dict[tuple[int, str], SiteConfig] = {}
_names: dict[tuple[int, str], str] = {}


def site_config(site: Site) -> SiteConfig:
    """The parsed configuration of a site, parsed once per saved version."""
    key = (site.id, site.updated_at.isoformat())
    config = _cache.get(key)
    if config is None:
        config = with_earlier_labels(site.id, parse_site_config(site.config_toml, strict=False))
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


def reload_site_context(site_id: int) -> None:
    """Put the configuration as saved now on g: a save has committed since the request began."""
    updated_at = db.session.scalar(select(Site.updated_at).where(Site.id == site_id))
    if updated_at is None:
        raise LookupError(f"site {site_id} is gone")
    load_site_context(site_id, updated_at)


def load_site_files(files: SiteFiles) -> None:
    """Bring every site's database copy and its file into agreement at start-up.

    Whichever changed last wins: a file edited by hand after the last save in the app is read
    in, and an edit saved in the app after the file was written is written back out. A site in
    the database whose file is gone gets one from its database copy, so no edit is lost.
    """
    from .reporting.library import ensure_default_templates

    if not files.first.exists() and db.session.scalar(select(Site.id).limit(1)) is None:
        write_atomically(files.first, EXAMPLE_SITE.read_text(encoding="utf-8"))
    loaded: dict[str, Path] = {}
    paths = files.paths()
    codes_in_files = [code_in_file(path) for path in paths]
    created: list[str] = []
    for path in paths:
        text = read_site_file(path)
        try:
            config = parse_site_config(text, strict=False)
        except SiteConfigError as exc:
            raise _in_file(path, exc) from exc
        if config.code in loaded:
            _log_broken_rules(path, config)
            # Edits go to the first file with the code, so reading this one would undo them.
            log.warning(
                "%s läses inte: enheten %s är redan läst från %s. Ge filen en egen enhetskod, "
                "eller ta bort den.",
                path,
                config.code,
                loaded[config.code],
            )
            continue
        loaded[config.code] = path
        # The example's file is the first one; a department's own file copied over it may
        # take the example's place.
        example = codes_in_files if path == files.first else None
        site_id, is_new = _load_site_file(path, text, config, example)
        # Only now: a file read in is checked strictly, and a refusal that follows warnings
        # about the same rules would read as two problems.
        _log_broken_rules(path, config)
        if is_new:
            created.append(config.code)
        ensure_default_templates(site_id, config)
    orphans = db.session.scalars(
        select(Site).where(Site.code.not_in(list(loaded))).order_by(Site.id)
    ).all()
    for site in orphans:
        path = files.new_file(site.code)
        log.warning("%s", _orphan_line(site.code, path, created))
        write_atomically(path, site.config_toml)


def _log_broken_rules(path: Path, config: SiteConfig) -> None:
    for broken in config.broken_rules:
        log.warning("%s: %s", path, broken.text())


def _orphan_line(code: str, path: Path, created: list[str]) -> str:
    line = (
        f"Enheten {code} har ingen enhetsfil (filen är borttagen eller har fått en annan "
        f"enhetskod); dess konfiguration skrivs till {path}."
    )
    if not created:
        return line
    # Most often the department's own file copied over a used example: its admin is left
    # with no user at the new site.
    return (
        f"{line} Enheten {', '.join(created)} är ny och har inga användare; användarna på "
        f"{code} kommer inte åt den. Skapa dess första administratör med "
        f"flask create-user NAMN --role admin --password LÖSENORD --site {created[0]}."
    )


def _load_site_file(
    path: Path, text: str, config: SiteConfig, codes_in_files: list[str | None] | None
) -> tuple[int, bool]:
    """Create or refresh one site from its file; returns the site's id and whether it is new.

    codes_in_files: the codes of every site file, when this file may take the place of the
    untouched example site whose file it replaced.
    """
    from .reporting.library import refit_starter_templates

    write_back = None
    is_new = False
    with write_transaction() as session:
        site = session.scalar(select(Site).where(Site.code == config.code))
        if site is None:
            _check_read_in(path, text)
            example = None
            if codes_in_files is not None:
                example = replaceable_example(session, codes_in_files)
            if example is not None:
                site = example
                log.warning(
                    "Exempelenheten %s (påhittade nummer, inga ärenden) ersätts av enheten %s "
                    "från %s: dess användare och de svarsmallar som någon har ändrat eller "
                    "skapat hör nu till %s, exemplets oändrade startmallar ersätts av de som "
                    "passar %s:s undersökningar, och exemplets konfiguration sparas som en "
                    "tidigare version.",
                    site.code,
                    config.code,
                    path,
                    config.code,
                    config.code,
                )
                reason = f"Exempelenheten ersatt av {path}"
                _keep_replaced_version(session, site, text, config.name, reason=reason)
                site.code = config.code
                site.config_toml = text
                site.name = config.name
                refit_starter_templates(session, site.id, config, reason)
            else:
                site = Site(code=config.code, name=config.name, config_toml=text)
                session.add(site)
                is_new = True
        elif site.config_toml != text:
            modified_at = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            if modified_at > site.updated_at or not _usable(site.config_toml):
                _check_read_in(path, text)
                log.info("Enheten %s: konfigurationen läses från %s", site.code, path)
                _keep_replaced_version(session, site, text, config.name, reason=f"Läst från {path}")
                site.config_toml = text
                site.name = config.name
            else:
                write_back = site.config_toml
        session.flush()
        site_id = site.id
    if write_back is not None:
        log.warning(
            "Enheten %s: konfigurationen som sparades i appen är nyare och skrivs till %s",
            config.code,
            path,
        )
        write_atomically(path, write_back)
    return site_id, is_new


def _in_file(path: Path, exc: SiteConfigError) -> SiteConfigError:
    """A file's refusal, the file named before it; its own template and values kept."""
    return SiteConfigError(
        "%(path)s: %(refusal)s", path=str(path), refusal=Message(exc.message, exc.values)
    )


def _check_read_in(path: Path, text: str) -> None:
    """Refuse a file's new text as the editor refuses a save: a misspelt key read leniently
    would start the laptop with a safety question silently off. Only the text the database
    already holds (accepted earlier, perhaps under older rules) is read leniently."""
    try:
        parse_site_config(text)
    except SiteConfigError as exc:
        raise _in_file(path, exc) from exc


def _usable(text: str) -> bool:
    # A copy saved before a stricter check would fail on every page; the file is then better.
    try:
        parse_site_config(text, strict=False)
    except SiteConfigError:
        return False
    return True


def _keep_replaced_version(
    session: Any, site: Site, text: str, name: str, *, reason: str = ""
) -> int:
    """Store the text an edit replaces, so a wrong number saved can be seen and put back.

    Returns the version number the edit gets (the first text of a site is version 1).
    """
    latest = session.scalar(
        select(func.max(RecordVersion.version)).where(
            RecordVersion.entity == SITE_CONFIG_ENTITY, RecordVersion.entity_id == site.id
        )
    )
    replaced = (latest or 0) + 1
    if text == site.config_toml and name == site.name:
        return replaced
    changes = {"config_toml": [site.config_toml, text]}
    if name != site.name:
        changes["name"] = [site.name, name]
    user = g.get("user") if has_request_context() else None
    insert_row(
        session,
        RecordVersion.__table__,
        {
            "entity": SITE_CONFIG_ENTITY,
            "entity_id": site.id,
            "version": replaced,
            "case_id": None,
            "data": {"name": site.name, "config_toml": site.config_toml},
            "changes": changes,
            "reason": reason,
            "changed_by_id": user.id if user is not None else None,
        },
    )
    return replaced + 1


def save_site_config(
    site_id: int,
    text: str,
    files: SiteFiles | None,
    *,
    base_hash: str = "",
    sent: SentOnce | None = None,
    user_id: int = 0,
) -> SiteConfig:
    """Validate and store an admin's edit; also written to the site's own file in the data dir.

    base_hash: the version the edit started from (config_hash); when the stored text is no
    longer that version, the edit is refused rather than silently undoing the other change.
    sent: the admin's form (user_id theirs); sent again, it saves nothing more and is not
    refused as made on an older version (its own save is the newer one).
    """
    from .audit import log_event
    from .cases.submissions import NOT_SENT

    # A browser ends a textarea's lines with CR LF; the file and its versions keep plain LF,
    # so a save that changed nothing is no new version with every line "changed".
    text = text.replace("\r\n", "\n")
    config = parse_site_config(text)
    # The file's earlier bytes, kept until the commit: the file goes out before it. Bytes, as
    # the file may have been changed by hand (saved as ANSI, say) since the app read it.
    written: tuple[Path, bytes | None] | None = None

    def write(session: Session) -> None:
        nonlocal written
        site = session.get(Site, site_id, with_for_update=True)
        if site is None:
            raise ValueError("Okänd enhet")
        if config.code != site.code:
            raise ValueError("Enhetskoden (site.code) kan inte ändras här.")
        if base_hash and base_hash != config_hash(site.config_toml):
            raise StaleSiteConfigError(config_hash(site.config_toml))
        check_codes_in_use(session, site.id, config)
        version = _keep_replaced_version(session, site, text, config.name)
        site.config_toml = text
        site.name = config.name
        log_event("site_config_change", detail=f"{site.code} version {version}", site_id=site.id)
        # The file is written before the commit, so a failed write saves nothing (and a
        # failed commit puts the file back, below), and after the flush, so its time is not
        # before the saved version's (start-up compares the two).
        session.flush()
        if files is not None:
            path = files.file_for(site.code)
            try:
                previous = path.read_bytes() if path.exists() else None
                write_atomically(path, text)
            except OSError as exc:
                raise Refused(
                    "Filen %(path)s kunde inte skrivas: %(problem)s", path=path, problem=exc
                ) from exc
            written = (path, previous)

    try:
        (sent or NOT_SENT).store(user_id, "site_config_change", write, ValueError)
    except BaseException:
        # The commit failed after the file was written: its earlier text goes back, or the
        # next start-up would read the unsaved edit in as a newer hand edit.
        if written is not None:
            _put_back(*written, site_code=config.code)
        raise
    return config


def _put_back(path: Path, previous: bytes | None, *, site_code: str) -> None:
    try:
        if previous is None:
            path.unlink(missing_ok=True)
        else:
            write_atomically(path, previous)
    except OSError:
        log.exception("%s still holds the unsaved edit of site %s", path, site_code)
