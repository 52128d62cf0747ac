"""A backup restored onto a fresh laptop: the department's sites come back, and only they.

A first start writes the fictional example site's file into the data dir; the laptop's
restored database holds the department's own sites, which that file is none of.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from webapp.backup import list_backups
from webapp.extensions import db
from webapp.models import Site

pytestmark = pytest.mark.sqlite_only


def _backup_of_another_department(runner, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """A backup whose one site is SUS, as the department's old laptop took it."""
    assert runner.invoke(args=["backup", "--to", str(tmp_path / "usb")]).exit_code == 0
    [path] = list_backups(tmp_path / "usb")
    conn = sqlite3.connect(path)
    with conn:
        conn.execute(
            "UPDATE site SET code = 'SUS', name = 'Röntgen Sus', "
            "config_toml = replace(config_toml, 'code = \"EXS\"', 'code = \"SUS\"')"
        )
    conn.close()
    return path


def test_a_backup_restored_onto_a_fresh_laptop_brings_back_its_sites_and_no_example(
    app: Flask, runner, tmp_path: Path
) -> None:
    path = _backup_of_another_department(runner, tmp_path)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    result = runner.invoke(args=["restore", str(path)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.session.remove()
        assert db.session.scalars(select(Site.code)).all() == ["SUS"]
    site_file = Path(app.config["SITE_CONFIG_PATH"])
    assert 'code = "SUS"' in site_file.read_text(encoding="utf-8")
