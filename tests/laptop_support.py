"""Fake power supplies and disks for the laptop health tests: real files, read as sysfs is."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from webapp.laptop_health import GB


def supply(root: Path, name: str, **files: str) -> Path:
    """One power supply's folder as the kernel writes it: one value per file, newline-ended."""
    folder = Path(root) / name
    folder.mkdir(parents=True)
    for file, value in files.items():
        (folder / file).write_text(value + "\n", encoding="ascii")
    return folder


def unplugged(root: Path, percent: int) -> None:
    """A laptop whose charger is out, its battery at percent."""
    supply(root, "AC", type="Mains", online="0")
    supply(root, "BAT0", type="Battery", status="Discharging", capacity=str(percent))


def disk_with(free: int, total: int = 250 * GB) -> Any:
    """shutil.disk_usage as a volume with `free` bytes left would answer it."""

    def usage(path: Path) -> Any:
        if not Path(path).exists():
            raise FileNotFoundError(path)
        return shutil._ntuple_diskusage(total, total - free, free)  # type: ignore[attr-defined]

    return usage
