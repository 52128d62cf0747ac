"""The downtime laptop's own health: its power and the free space on the data dir's disk.

During an outage every case lives on this one machine: staff are told before it runs flat or
fills up, not after. Plain readers and thresholds here; the cache, the log and the pages' glue
are in laptop_watch.py.
"""

from __future__ import annotations

import math
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Where Linux lists power supplies, one folder each with one value per file.
SYSFS_POWER = Path("/sys/class/power_supply")
MB = 1024**2
# As Windows Explorer counts a gigabyte, so the figure matches what the admin looks up there.
GB = 1024**3

# Unplugged, a laptop lasts hours at full charge, but below 30 % maybe an hour: time to find
# the charger. Below 10 % it may shut down within minutes, taking every tablet's connection.
BATTERY_WARNING = 30
BATTERY_CRITICAL = 10
# Absolute figures, not a share of the disk: what the app needs does not grow with the disk
# (5 % of a 1 TB disk is 50 GB, far more than needed). The database is small: the demo's 300
# cases take 1.4 MB, versions and log included, so even the 11,500-case benchmark database is
# some 50 MB. But each backup is a whole copy, written before the oldest is removed, and 24 are
# kept, in the data dir unless a stick is set (about 1.2 GB at that size); SQLite's WAL can
# grow towards the database's size before a checkpoint; the files written at each incident's
# close and Windows' own updates need room too (printed PDFs are drawn in memory, not kept).
# 2 GB covers all that; below 500 MB the next backup or a WAL checkpoint may fail, and then
# saves are refused.
DISK_WARNING = 2 * GB
DISK_CRITICAL = 500 * MB
LEVEL_ORDER = {"critical": 0, "warning": 1, "notice": 2}
# Read or write for the file's group or for every account: patient data outside the access log.
OPEN_TO_OTHERS = stat.S_IRGRP | stat.S_IWGRP | stat.S_IROTH | stat.S_IWOTH

DiskUsage = Callable[[Path], Any]


@dataclass(frozen=True)
class Power:
    """Where the laptop's power comes from, and the battery's charge when known."""

    source: str  # "mains", "battery", "none" (no battery: a desktop) or "unknown"
    percent: int | None = None


@dataclass(frozen=True)
class Disk:
    """Bytes free and in all on the data dir's volume; None when they could not be read."""

    free: int | None
    total: int | None


@dataclass(frozen=True)
class LaptopWarning:
    """One thing staff are told: what (battery, disk), how bad, and its figure."""

    kind: str  # "battery" or "disk"
    level: str  # "notice", "warning" or "critical"
    amount: int | None  # the charge in percent, or the bytes free


def _read(folder: Path, name: str) -> str | None:
    """One sysfs value, or None when the file is missing, unreadable or not text."""
    try:
        return (folder / name).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _number(folder: Path, name: str) -> int | None:
    text = _read(folder, name)
    return int(text) if text and text.isdigit() else None


def _charge(batteries: list[Path]) -> int | None:
    """The batteries' joint charge: by energy when each tells it, else their mean percentage."""
    for now, full in (("energy_now", "energy_full"), ("charge_now", "charge_full")):
        pairs = [(_number(b, now), _number(b, full)) for b in batteries]
        if all(n is not None and f for n, f in pairs):
            total = sum(f or 0 for _, f in pairs)
            return min(100, math.floor(100 * sum(n or 0 for n, _ in pairs) / total))
    known = [p for p in (_number(b, "capacity") for b in batteries) if p is not None and p <= 100]
    return math.floor(sum(known) / len(known)) if known else None


def read_sysfs_power(root: Path) -> Power:
    """Read Linux's power supplies under root (normally /sys/class/power_supply)."""
    try:
        folders = sorted(p for p in root.iterdir() if p.is_dir())
    except OSError:
        folders = []
    batteries: list[Path] = []
    external: list[int | None] = []  # each charger's "online", None when unreadable
    for folder in folders:
        kind = _read(folder, "type")
        if kind == "Battery" and _read(folder, "scope") != "Device":  # not a mouse's battery
            batteries.append(folder)
        elif kind in ("Mains", "USB"):  # a USB-C charger is listed as USB
            external.append(_number(folder, "online"))
    if not batteries:
        return Power("none")
    charge = _charge(batteries)
    if 1 in external:
        return Power("mains", charge)
    discharging = any(_read(b, "status") == "Discharging" for b in batteries)
    # A laptop that lists no charger at all: a battery that is not draining is being fed.
    if discharging or (external and all(online == 0 for online in external)):
        return Power("battery", charge)
    return Power("mains", charge)


def power_from_windows(ac_line: int, battery_flag: int, percent: int) -> Power:
    """Windows' SYSTEM_POWER_STATUS fields as a Power (255 means unknown in each)."""
    charge = percent if percent <= 100 else None
    if battery_flag == 128:  # no system battery
        return Power("none")
    if ac_line == 1:
        return Power("mains", charge)
    if ac_line == 0:
        return Power("battery", charge)
    return Power("unknown")


def _read_windows_power() -> Power:
    """GetSystemPowerStatus through ctypes; unknown on any failure (not testable off Windows)."""
    if sys.platform == "win32":
        import ctypes
        from ctypes import wintypes

        class SystemPowerStatus(ctypes.Structure):
            _fields_ = [
                ("ACLineStatus", wintypes.BYTE),
                ("BatteryFlag", wintypes.BYTE),
                ("BatteryLifePercent", wintypes.BYTE),
                ("SystemStatusFlag", wintypes.BYTE),
                ("BatteryLifeTime", wintypes.DWORD),
                ("BatteryFullLifeTime", wintypes.DWORD),
            ]

        try:
            status = SystemPowerStatus()
            if not ctypes.windll.kernel32.GetSystemPowerStatus(ctypes.byref(status)):
                return Power("unknown")
            return power_from_windows(
                status.ACLineStatus & 0xFF,
                status.BatteryFlag & 0xFF,
                status.BatteryLifePercent & 0xFF,
            )
        except (OSError, AttributeError, ValueError):
            return Power("unknown")
    return Power("unknown")


def read_power(sysfs_root: Path | None) -> Power:
    """The laptop's power: from sysfs when given a root, from Windows there, else unknown."""
    if sysfs_root is not None:
        return read_sysfs_power(sysfs_root)
    return _read_windows_power()


def read_disk(folder: Path, usage: DiskUsage) -> Disk:
    """Free and total bytes on folder's volume (usage is shutil.disk_usage, or a stand-in)."""
    try:
        found = usage(folder)
    except OSError:
        return Disk(None, None)
    return Disk(int(found.free), int(found.total))


def open_to_others(paths: Iterable[Path]) -> list[Path]:
    """Those of the paths that other accounts of the laptop may read or write.

    A folder the app did not make keeps the rights it was given (IT's choice): it is named for
    the admin to fix, never changed here. Windows keeps rights in ACLs the mode bits do not
    show: nothing is said there. A path that is missing or cannot be read is not named.
    """
    if os.name == "nt":
        return []
    found = []
    for path in paths:
        try:
            mode = path.stat().st_mode
        except OSError:
            continue
        if mode & OPEN_TO_OTHERS:
            found.append(path)
    return found


def warnings_for(power: Power, disk: Disk) -> list[LaptopWarning]:
    """What staff are told about this power and disk, the worst first."""
    found = []
    if power.source == "battery":
        percent = power.percent
        level = "notice"
        if percent is not None and percent < BATTERY_CRITICAL:
            level = "critical"
        elif percent is not None and percent < BATTERY_WARNING:
            level = "warning"
        found.append(LaptopWarning("battery", level, percent))
    if disk.free is not None and disk.free < DISK_WARNING:
        level = "critical" if disk.free < DISK_CRITICAL else "warning"
        found.append(LaptopWarning("disk", level, disk.free))
    return sorted(found, key=lambda w: LEVEL_ORDER[w.level])


def size_text(size: int, *, comma: bool = True) -> str:
    """Bytes as staff read them, rounded down: "400 MB", "1,5 GB", "78 GB"."""
    if size >= 10 * GB:
        return f"{size // GB} GB"
    if size >= GB:
        tenths = size * 10 // GB
        return f"{tenths // 10}{',' if comma else '.'}{tenths % 10} GB"
    return f"{size // MB} MB"


def state_key(found: list[LaptopWarning]) -> str:
    """The warnings' kinds and levels in one word, e.g. "battery-warning.disk-critical"."""
    return ".".join(f"{w.kind}-{w.level}" for w in sorted(found, key=lambda w: w.kind))
