"""Settings from the environment and the data dir."""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .file_rights import PRIVATE_FILE as PRIVATE_FILE
from .file_rights import PRIVATE_FOLDER as PRIVATE_FOLDER
from .file_rights import make_private_folders
from .laptop_health import SYSFS_POWER

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "instance"
DB_FILENAME = "reservrutin.db"
SITE_FILENAME = "site.toml"
EXAMPLE_SITE = Path(__file__).resolve().parent / "site_example.toml"
# Why the data dir could not be made or written, for the administrator starting the app.
_DIR_PROBLEMS = {
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "behörighet saknas",
    errno.EROFS: "platsen är skrivskyddad",
    errno.ENOSPC: "disken är full",
    errno.ENOTDIR: "en fil står där en mapp ska vara",
    errno.EEXIST: "en fil står där mappen ska vara",
}


class ConfigError(ValueError):
    """A setting or data dir the app cannot start with; the message is Swedish."""


def _why(exc: OSError) -> str:
    return _DIR_PROBLEMS.get(exc.errno or 0) or exc.strerror or str(exc)


def _int_env(name: str, default: int) -> int:
    """A whole number of at least 1 from the environment, or the default when unset.

    Below 1 these settings switch a safeguard off (a lockout of 0 minutes, keeping 0 backups,
    which deletes each one as it is taken): the app refuses to start instead.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigError(f"{name} ska vara ett heltal, minst 1 (är {raw!r}).")
    return value


def _timezone_env(name: str, default: str) -> str:
    """A time zone name from the environment (Europe/Stockholm), or the default when unset.

    A name that is no time zone (a typo) started the app, and then every page that shows a time
    failed: the app refuses to start instead.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError(f"{name} ska vara en tidszon, t.ex. {default} (är {raw!r}).") from None
    return raw


def _secret_key(data_dir: Path) -> str:
    """Keep one random key per installation so sessions survive a restart."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    key = secrets.token_hex(32)
    try:
        # Whoever reads the key can sign a login as anyone: the app's own account alone.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
    except OSError as exc:
        raise ConfigError(
            f"Datamappen {data_dir} går inte att skriva i ({_why(exc)}). Ange en mapp som går "
            "att skriva i med --data-dir eller RESERVRUTIN_DATA_DIR."
        ) from exc
    return key


def build_config(data_dir: Path | None = None) -> dict[str, Any]:
    """Return the Flask config for a data dir, with environment overrides."""
    data_dir = Path(
        data_dir or os.environ.get("RESERVRUTIN_DATA_DIR") or DEFAULT_DATA_DIR
    ).resolve()
    try:
        # The database and the key in it are the department's patients and logins: a folder
        # made here is the app's own account's alone (one chosen by IT keeps its own rights).
        make_private_folders(data_dir)
    except OSError as exc:
        raise ConfigError(
            f"Datamappen {data_dir} kan inte skapas ({_why(exc)}). Ange en mapp som går att "
            "skriva i med --data-dir eller RESERVRUTIN_DATA_DIR."
        ) from exc
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / DB_FILENAME}"
    return {
        "DATA_DIR": data_dir,
        "SECRET_KEY": os.environ.get("RESERVRUTIN_SECRET_KEY") or _secret_key(data_dir),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SITE_CONFIG_PATH": data_dir / SITE_FILENAME,
        "BACKUP_DIR": Path(os.environ.get("RESERVRUTIN_BACKUP_DIR") or data_dir / "backups"),
        "BACKUP_INTERVAL_MINUTES": _int_env("RESERVRUTIN_BACKUP_INTERVAL", 5),
        "BACKUP_KEEP": _int_env("RESERVRUTIN_BACKUP_KEEP", 24),
        "IDLE_TIMEOUT_MINUTES": _int_env("RESERVRUTIN_IDLE_MINUTES", 15),
        "LOCKOUT_ATTEMPTS": _int_env("RESERVRUTIN_LOCKOUT_ATTEMPTS", 5),
        "LOCKOUT_MINUTES": _int_env("RESERVRUTIN_LOCKOUT_MINUTES", 5),
        # Failed attempts count toward the lockout only while each comes within this many
        # minutes of the one before.
        "LOCKOUT_WINDOW_MINUTES": _int_env("RESERVRUTIN_LOCKOUT_WINDOW", 15),
        # Failed attempts from one address at any usernames, under the same window, that stop
        # the address from trying for LOCKOUT_MINUTES: a shared tablet's staff mistype far fewer.
        "LOCKOUT_ADDRESS_ATTEMPTS": _int_env("RESERVRUTIN_LOCKOUT_ADDRESS_ATTEMPTS", 20),
        # Failed attempts at one username from every address, under the same window, after
        # which it takes one attempt per 10 s from anywhere (auth/pace.py): never a lock.
        "LOCKOUT_ACCOUNT_ATTEMPTS": _int_env("RESERVRUTIN_LOCKOUT_ACCOUNT_ATTEMPTS", 15),
        "TIMEZONE": _timezone_env("RESERVRUTIN_TIMEZONE", "Europe/Stockholm"),
        # Where the FHIR export's own identifier systems live (case code, reserve number, tags);
        # empty: a URN of the site code. Never the address a tablet used (see exporting.py).
        "FHIR_SYSTEM_BASE": os.environ.get("RESERVRUTIN_FHIR_SYSTEM_BASE", ""),
        # A form left open for an hour must still submit: the token lives as long as the session.
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("RESERVRUTIN_HTTPS") == "1",
        "SESSION_COOKIE_NAME": "reservrutin_session",
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},
        "CHECK_LOCAL_DISK": True,
        "BEHIND_PROXY": os.environ.get("RESERVRUTIN_BEHIND_PROXY") == "1",
        # The --host app.py listens on (set there); None under `flask run` and in tests.
        "LISTEN_HOST": None,
        # The laptop's health (laptop_watch.py): where Linux lists its power supplies (None:
        # ask Windows), how the data dir's free space is read, and how long a reading holds.
        "POWER_SUPPLY_ROOT": SYSFS_POWER if sys.platform.startswith("linux") else None,
        "DISK_USAGE": shutil.disk_usage,
        "LAPTOP_HEALTH_SECONDS": 30,
    }
