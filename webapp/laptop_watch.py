"""The laptop's health as pages show it: read at most every half minute, logged as it changes."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.engine import make_url

from .i18n import current_language
from .laptop_health import (
    MB,
    Disk,
    LaptopWarning,
    Power,
    open_to_others,
    read_disk,
    read_power,
    size_text,
    state_key,
    warnings_for,
)

_EXTENSION = "laptop_watch"
# Said in the log once when a warning starts or worsens (the pages say it on every request).
_LOGGED = {
    ("battery", "warning"): "Datorns batteri börjar ta slut: %s",
    ("battery", "critical"): "Datorns batteri är nästan tomt: %s",
    ("disk", "warning"): "Diskutrymmet på datorn börjar ta slut: %s kvar",
    ("disk", "critical"): "Diskutrymmet på datorn är nästan slut: %s kvar",
}
_RECOVERED = {
    "battery": "Datorns batteri är åter i ordning",
    "disk": "Diskutrymmet på datorn är åter i ordning",
}


@dataclass(frozen=True)
class LaptopHealth:
    """One reading of the laptop's power and disk, and what staff are told of it."""

    power: Power
    disk: Disk
    warnings: tuple[LaptopWarning, ...]
    # The data folder, database or backup folder other accounts may read or write: for the
    # admin screen (the fix is the admin's), not the warning every page shows staff.
    open_paths: tuple[Path, ...] = ()

    @property
    def state(self) -> str:
        """The warnings' kinds and levels in a word: a board left open reloads as it changes."""
        return state_key(list(self.warnings))


@dataclass
class _Watch:
    lock: threading.Lock = field(default_factory=threading.Lock)
    read_at: float = 0.0
    health: LaptopHealth | None = None
    levels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Notice:
    """A warning as a page shows it: its figure written for this request's language."""

    kind: str
    level: str
    figure: str


def _figure(warning: LaptopWarning) -> str:
    if warning.amount is None:
        return ""
    if warning.kind == "battery":
        return f"{warning.amount} %"
    return size_text(warning.amount, comma=current_language() == "sv")


def _log_changes(app: Flask, watch: _Watch, warnings: tuple[LaptopWarning, ...]) -> None:
    """Log each kind's level once as it changes to a warning, and once as it is over."""
    for kind in ("battery", "disk"):
        now = next((w for w in warnings if w.kind == kind), None)
        level = now.level if now else "ok"
        before = watch.levels.get(kind, "ok")
        watch.levels[kind] = level
        if level == before:
            continue
        if now is not None and (kind, level) in _LOGGED:
            # Logs are read in Swedish, as the pages' default: a decimal comma.
            figure = f"{now.amount} %" if kind == "battery" else size_text(now.amount or 0)
            log = app.logger.error if level == "critical" else app.logger.warning
            log(_LOGGED[(kind, level)], figure)
        elif before in ("warning", "critical"):
            app.logger.info(_RECOVERED[kind])


def _patient_paths(app: Flask) -> list[Path]:
    """The data folder, the SQLite database file, the final batches and the backup folder.

    The exports folder is the app's own and tightened at the next close; an older version's,
    open to others, is named until then.
    """
    paths = [Path(app.config["DATA_DIR"])]
    paths.append(Path(app.config["DATA_DIR"]) / "exports")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        paths.append(Path(str(url.database)))
    paths.append(Path(app.config["BACKUP_DIR"]))
    return list(dict.fromkeys(paths))


def _read(app: Flask) -> LaptopHealth:
    root = app.config.get("POWER_SUPPLY_ROOT")
    power = read_power(Path(root) if root is not None else None)
    disk = read_disk(Path(app.config["DATA_DIR"]), app.config["DISK_USAGE"])
    found = tuple(open_to_others(_patient_paths(app)))
    return LaptopHealth(power, disk, tuple(warnings_for(power, disk)), found)


def laptop_health() -> LaptopHealth:
    """This app's reading, read again once LAPTOP_HEALTH_SECONDS have passed."""
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    watch: _Watch = app.extensions[_EXTENSION]
    with watch.lock:
        now = time.monotonic()
        if watch.health is None or now - watch.read_at >= app.config["LAPTOP_HEALTH_SECONDS"]:
            watch.health = _read(app)
            watch.read_at = now
            _log_changes(app, watch, watch.health.warnings)
        return watch.health


def laptop_notices() -> list[Notice]:
    """The warnings every page shows its logged-in user, the worst first."""
    return [Notice(w.kind, w.level, _figure(w)) for w in laptop_health().warnings]


def disk_text(size: int | None) -> str:
    """Bytes as the admin screen shows them; "" when unknown."""
    return "" if size is None else size_text(size, comma=current_language() == "sv")


def health_figures() -> dict[str, object]:
    """The reading as /healthz adds it to its answer."""
    health = laptop_health()
    free = health.disk.free
    return {
        "power": health.power.source,
        "battery_percent": health.power.percent,
        "disk_free_mb": None if free is None else free // MB,
    }


def init_laptop_watch(app: Flask) -> None:
    """Give the app its reading's cache and the pages their notices."""
    app.extensions[_EXTENSION] = _Watch()
    app.jinja_env.globals.update(laptop_notices=laptop_notices, disk_text=disk_text)
