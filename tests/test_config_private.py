"""The data folder holds the database and the key that signs every login: a folder the app
makes, and the key it writes, are the laptop's own account's alone."""

from __future__ import annotations

import stat
from pathlib import Path

from webapp.config import build_config


def _others_may(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode) & 0o077


def test_a_data_folder_the_app_makes_is_its_owners_alone(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RESERVRUTIN_SECRET_KEY", raising=False)
    build_config(tmp_path / "data")
    assert _others_may(tmp_path / "data") == 0


def test_the_session_key_file_is_its_owners_alone(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RESERVRUTIN_SECRET_KEY", raising=False)
    config = build_config(tmp_path)
    key_file = tmp_path / "secret_key"
    assert key_file.read_text(encoding="ascii") == config["SECRET_KEY"]
    assert _others_may(key_file) == 0
    # Read back as it was written: the sessions signed before a restart stay valid.
    assert build_config(tmp_path)["SECRET_KEY"] == config["SECRET_KEY"]
