"""Settings from the environment: a value that would switch a safeguard off is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from webapp.config import build_config


@pytest.mark.parametrize(
    "name",
    [
        "RESERVRUTIN_LOCKOUT_ATTEMPTS",
        "RESERVRUTIN_LOCKOUT_MINUTES",
        "RESERVRUTIN_LOCKOUT_WINDOW",
        "RESERVRUTIN_LOCKOUT_ADDRESS_ATTEMPTS",
        "RESERVRUTIN_LOCKOUT_ACCOUNT_ATTEMPTS",
        "RESERVRUTIN_IDLE_MINUTES",
        "RESERVRUTIN_BACKUP_INTERVAL",
        "RESERVRUTIN_BACKUP_KEEP",
    ],
)
@pytest.mark.parametrize("raw", ["0", "-5", "fem"])
def test_a_setting_below_one_or_not_a_number_stops_start_up_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, raw: str
) -> None:
    # A lockout of 0 minutes is no lockout, and keeping 0 backups deletes each one as it is
    # taken while the admin screen says it was saved.
    monkeypatch.setenv(name, raw)
    with pytest.raises(ValueError, match=name):
        build_config(tmp_path)


def test_a_setting_of_one_is_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESERVRUTIN_BACKUP_KEEP", " 1 ")
    assert build_config(tmp_path)["BACKUP_KEEP"] == 1


@pytest.mark.parametrize("raw", ["Europe/Stokholm", "Stockholm", "Europe", "../etc/passwd"])
def test_a_time_zone_that_does_not_exist_stops_start_up_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    # Started with it, every page that shows a time (the incident, the board, a case) failed.
    monkeypatch.setenv("RESERVRUTIN_TIMEZONE", raw)
    with pytest.raises(ValueError, match="RESERVRUTIN_TIMEZONE"):
        build_config(tmp_path)


@pytest.mark.parametrize(("raw", "zone"), [("", "Europe/Stockholm"), (" UTC ", "UTC")])
def test_a_time_zone_left_blank_is_the_default_and_one_spaced_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raw: str, zone: str
) -> None:
    monkeypatch.setenv("RESERVRUTIN_TIMEZONE", raw)
    assert build_config(tmp_path)["TIMEZONE"] == zone
