"""The laptop's power and disk, read from real files in a fake sysfs tree, and the warnings
they give."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from webapp.laptop_health import (
    GB,
    MB,
    Disk,
    Power,
    power_from_windows,
    read_disk,
    read_sysfs_power,
    size_text,
    warnings_for,
)

from .laptop_support import supply


def test_mains_online_is_mains_with_the_batterys_charge(tmp_path: Path) -> None:
    supply(tmp_path, "AC", type="Mains", online="1")
    supply(tmp_path, "BAT0", type="Battery", status="Charging", capacity="64")
    assert read_sysfs_power(tmp_path) == Power("mains", 64)


def test_mains_offline_and_a_discharging_battery_is_battery(tmp_path: Path) -> None:
    supply(tmp_path, "AC", type="Mains", online="0")
    supply(tmp_path, "BAT0", type="Battery", status="Discharging", capacity="23")
    assert read_sysfs_power(tmp_path) == Power("battery", 23)


def test_a_discharging_battery_without_a_mains_supply_is_battery(tmp_path: Path) -> None:
    supply(tmp_path, "BAT1", type="Battery", status="Discharging", capacity="8")
    assert read_sysfs_power(tmp_path) == Power("battery", 8)


def test_a_full_battery_on_a_laptop_without_a_mains_supply_is_mains(tmp_path: Path) -> None:
    # Some laptops list no AC adapter; a battery that is not discharging is being fed.
    supply(tmp_path, "BAT0", type="Battery", status="Not charging", capacity="80")
    assert read_sysfs_power(tmp_path) == Power("mains", 80)


def test_no_battery_is_a_desktop(tmp_path: Path) -> None:
    supply(tmp_path, "AC", type="Mains", online="1")
    assert read_sysfs_power(tmp_path) == Power("none", None)


def test_an_empty_or_missing_sysfs_is_a_desktop(tmp_path: Path) -> None:
    assert read_sysfs_power(tmp_path) == Power("none", None)
    assert read_sysfs_power(tmp_path / "not-there") == Power("none", None)


def test_a_wireless_mouses_battery_is_not_the_laptops(tmp_path: Path) -> None:
    supply(tmp_path, "AC", type="Mains", online="1")
    supply(
        tmp_path, "hidpp_battery_0", type="Battery", scope="Device", status="Discharging",
        capacity="5",
    )  # fmt: skip
    assert read_sysfs_power(tmp_path) == Power("none", None)


def test_two_batteries_give_their_joint_charge_by_energy(tmp_path: Path) -> None:
    supply(tmp_path, "AC", type="Mains", online="0")
    supply(
        tmp_path, "BAT0", type="Battery", status="Discharging", capacity="10",
        energy_now="2000000", energy_full="20000000",
    )  # fmt: skip
    supply(
        tmp_path, "BAT1", type="Battery", status="Unknown", capacity="100",
        energy_now="60000000", energy_full="60000000",
    )  # fmt: skip
    # 62 of 80 Wh: the small empty battery does not make the laptop look nearly flat.
    assert read_sysfs_power(tmp_path) == Power("battery", 77)


def test_two_batteries_without_energy_files_give_the_mean_charge(tmp_path: Path) -> None:
    supply(tmp_path, "BAT0", type="Battery", status="Discharging", capacity="20")
    supply(tmp_path, "BAT1", type="Battery", status="Discharging", capacity="41")
    assert read_sysfs_power(tmp_path) == Power("battery", 30)


def test_an_unreadable_capacity_leaves_the_charge_unknown_but_not_the_source(
    tmp_path: Path,
) -> None:
    supply(tmp_path, "AC", type="Mains", online="0")
    battery = supply(tmp_path, "BAT0", type="Battery", status="Discharging")
    (battery / "capacity").mkdir()  # reading it fails as an unreadable file does
    assert read_sysfs_power(tmp_path) == Power("battery", None)


@pytest.mark.parametrize("junk", [b"", b"lots\n", b"\xff\xfe\n", b"250\n", b"-3\n"])
def test_a_capacity_that_is_no_percentage_is_not_read(tmp_path: Path, junk: bytes) -> None:
    battery = supply(tmp_path, "BAT0", type="Battery", status="Discharging")
    (battery / "capacity").write_bytes(junk)
    assert read_sysfs_power(tmp_path) == Power("battery", None)


def test_a_supply_without_a_type_is_skipped(tmp_path: Path) -> None:
    supply(tmp_path, "odd", online="0")
    supply(tmp_path, "BAT0", type="Battery", status="Discharging", capacity="50")
    assert read_sysfs_power(tmp_path) == Power("battery", 50)


def test_a_stray_file_in_the_folder_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "README").write_text("not a supply", encoding="ascii")
    supply(tmp_path, "AC", type="Mains", online="1")
    supply(tmp_path, "BAT0", type="Battery", status="Full", capacity="100")
    assert read_sysfs_power(tmp_path) == Power("mains", 100)


@pytest.mark.parametrize(
    ("ac_line", "flag", "percent", "expected"),
    [
        (1, 8, 64, Power("mains", 64)),
        (0, 2, 23, Power("battery", 23)),
        (0, 1, 255, Power("battery", None)),
        (1, 128, 255, Power("none", None)),  # no system battery: a desktop
        (255, 255, 255, Power("unknown", None)),
    ],
)
def test_windows_power_status_is_read_as_sysfs_is(
    ac_line: int, flag: int, percent: int, expected: Power
) -> None:
    assert power_from_windows(ac_line, flag, percent) == expected


def test_disk_is_read_from_the_volume_of_the_folder(tmp_path: Path) -> None:
    usage = shutil.disk_usage(tmp_path)
    disk = read_disk(tmp_path, shutil.disk_usage)
    assert disk.total == usage.total
    assert disk.free is not None and abs(disk.free - usage.free) < 64 * MB


def test_a_disk_that_cannot_be_read_is_unknown(tmp_path: Path) -> None:
    assert read_disk(tmp_path / "gone", shutil.disk_usage) == Disk(None, None)


@pytest.mark.parametrize(
    ("power", "expected"),
    [
        (Power("mains", 8), []),
        (Power("none", None), []),
        (Power("unknown", None), []),
        (Power("battery", 80), [("battery", "notice", 80)]),
        (Power("battery", 30), [("battery", "notice", 30)]),
        (Power("battery", 29), [("battery", "warning", 29)]),
        (Power("battery", 10), [("battery", "warning", 10)]),
        (Power("battery", 9), [("battery", "critical", 9)]),
        (Power("battery", None), [("battery", "notice", None)]),
    ],
)
def test_battery_thresholds(power: Power, expected: list[tuple[str, str, int]]) -> None:
    found = warnings_for(power, Disk(100 * GB, 200 * GB))
    assert [(w.kind, w.level, w.amount) for w in found] == expected


@pytest.mark.parametrize(
    ("free", "expected"),
    [
        (100 * GB, []),
        (2 * GB, []),
        (2 * GB - 1, [("disk", "warning", 2 * GB - 1)]),
        (500 * MB, [("disk", "warning", 500 * MB)]),
        (500 * MB - 1, [("disk", "critical", 500 * MB - 1)]),
        (0, [("disk", "critical", 0)]),
        (None, []),
    ],
)
def test_disk_thresholds(free: int | None, expected: list[tuple[str, str, int]]) -> None:
    found = warnings_for(Power("mains", 100), Disk(free, 500 * GB if free is not None else None))
    assert [(w.kind, w.level, w.amount) for w in found] == expected


@pytest.mark.parametrize(
    ("size", "comma", "expected"),
    [
        (2 * GB - 1, True, "1,9 GB"),  # never rounded up past a threshold it is below
        (1536 * MB, True, "1,5 GB"),
        (1536 * MB, False, "1.5 GB"),
        (78 * GB, True, "78 GB"),
        (999 * MB, True, "999 MB"),
        (400 * MB + 1, True, "400 MB"),
        (0, True, "0 MB"),
    ],
)
def test_sizes_are_written_as_staff_read_them(size: int, comma: bool, expected: str) -> None:
    assert size_text(size, comma=comma) == expected


def test_the_critical_warning_comes_first() -> None:
    found = warnings_for(Power("battery", 50), Disk(100 * MB, 500 * GB))
    assert [(w.kind, w.level) for w in found] == [("disk", "critical"), ("battery", "notice")]
