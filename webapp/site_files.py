"""Which TOML file in the data dir holds which site's configuration."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import PRIVATE_FILE
from .file_rights import make_private_folders
from .siteconfig import SiteConfigError

SITES_DIRNAME = "sites"
_UNSAFE = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True)
class SiteFiles:
    """The first site's file (DATA_DIR/site.toml) and the folder of further sites' files.

    A site is identified by the `[site] code` inside a file, not by the file's name. Its file is
    the first one in load order (site.toml, then sites/*.toml by name) with its code: start-up
    reads it from there and an admin's edit is written back there, so the two always agree.
    """

    first: Path
    sites_dir: Path

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SiteFiles:
        """The site files of an app's data dir."""
        return cls(Path(config["SITE_CONFIG_PATH"]), Path(config["DATA_DIR"]) / SITES_DIRNAME)

    def paths(self) -> list[Path]:
        """The existing site files in load order."""
        found = [self.first] if self.first.exists() else []
        if self.sites_dir.is_dir():
            found += sorted(self.sites_dir.glob("*.toml"))
        return found

    def file_for(self, code: str) -> Path:
        """The file a site's configuration is written to; a new one when no file has its code."""
        for path in self.paths():
            if code_in_file(path) == code:
                return path
        return self.new_file(code)

    def new_file(self, code: str) -> Path:
        """A free file for a site that has none: site.toml when that is missing, else sites/."""
        if not self.first.exists():
            return self.first
        stem = _UNSAFE.sub("_", code.lower()).strip("_") or "site"
        path = self.sites_dir / f"{stem}.toml"
        number = 2
        while path.exists():
            path = self.sites_dir / f"{stem}-{number}.toml"
            number += 1
        return path


def read_site_file(path: Path) -> str:
    """A site file's text, with plain LF line ends as the app saves it.

    Windows Notepad saves UTF-8 with a byte order mark and CR LF, which are read; a file saved
    as ANSI (Windows-1252) is refused, since its å, ä and ö would be read wrong or not at all.
    """
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SiteConfigError(
            "%(path)s: filen är inte sparad som UTF-8 (troligen som ANSI; första felaktiga tecknet "
            "på rad %(line)s). Öppna filen i Anteckningar, välj Spara som och spara den som UTF-8.",
            path=path,
            line=line,
        ) from exc
    return text.replace("\r\n", "\n")


def code_in_file(path: Path) -> str | None:
    """The `[site] code` of a site file, or None when the file can't be read as one."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Saved as ANSI while the app runs: still the site's file, which an edit made in the
        # app replaces, rather than leaving it for the next start-up to read in its place.
        text = data.decode("cp1252", errors="replace")
    try:
        site = tomllib.loads(text).get("site")
    except tomllib.TOMLDecodeError:
        return None
    code = site.get("code") if isinstance(site, dict) else None
    return str(code) if code not in (None, "") else None


# Windows opens a file descriptor in text mode unless told: its newlines would become CRLF.
_BINARY = getattr(os, "O_BINARY", 0)


def write_atomically(path: Path, text: str | bytes) -> None:
    """Write the file so a crash leaves either the old or the new text, never half of one.

    Also the closing's final batch files (catchup.closing), every patient of an outage in them.
    """
    # A folder made here (sites/) is the app's own, parents included; one there keeps its rights.
    make_private_folders(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    # The site's numbers and wards, and the patients of a final batch, are the app's own
    # account's, as the database is: made so before a byte is in it. A leftover of a crash
    # would keep whatever rights it had.
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, PRIVATE_FILE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)
