"""A site file read in at start-up is checked as strictly as the admin's editor checks a save."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from webapp.config import EXAMPLE_SITE, PROJECT_ROOT
from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError
from webapp.startup import prepare

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
EXAM = 'code = "CT-LE"\nname = "DT lungartärer (lungemboli)"\nmodality = "CT"\n'
MR = 'code = "MR"\nname = "Magnetkamera"\nrooms = ["MR 1"]\n'
SMALL_SITE_HOURS = 'hours = ["mon-fri 07:30-15:30"]'

# Each a hand edit the in-app editor refuses, and a word its refusal must name.
HAND_EDITS = {
    "misspelt-contrast": (
        EXAMPLE.replace(EXAM + "contrast = true", EXAM + "kontrast = true"),
        "kontrast",
    ),
    "misspelt-mr-safety": (
        EXAMPLE.replace(MR + "mr_safety = true", MR + "mr_saftey = true"),
        "mr_saftey",
    ),
    "misspelt-section": (EXAMPLE.replace("[[exams]]", "[[exam]]"), "[exam]"),
    "overlapping-hours": (
        EXAMPLE.replace(SMALL_SITE_HOURS, 'hours = ["mon-fri 07:30-15:30", "fri 12:00-16:00"]'),
        "överlappar",
    ),
    "hours-without-fallback": (
        EXAMPLE.replace('fallback = "fax_main"', "", 1),
        "ingen reservkontakt",
    ),
    "phone-with-letters": (
        EXAMPLE.replace('phone = "0999-400 00"', 'phone = "0999-4OO OO"', 1),
        "0999-4OO OO",
    ),
}


def test_each_hand_edit_differs_from_the_example() -> None:
    for name, (text, _word) in HAND_EDITS.items():
        assert text != EXAMPLE, name


def _stored(app: Flask, code: str = "EXS") -> str | None:
    with app.app_context():
        site = db.session.query(Site).filter_by(code=code).one_or_none()
        return None if site is None else site.config_toml


def _age(path: Path, seconds: int) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


@pytest.mark.parametrize(("text", "word"), HAND_EDITS.values(), ids=HAND_EDITS.keys())
def test_a_hand_edited_site_file_breaking_a_rule_stops_start_up(
    app: Flask, text: str, word: str
) -> None:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SiteConfigError) as refused:
        prepare(app)
    message = str(refused.value)
    assert message.startswith(f"{path}: "), message
    assert word in message
    assert _stored(app) == EXAMPLE


@pytest.mark.parametrize(("text", "word"), HAND_EDITS.values(), ids=HAND_EDITS.keys())
def test_a_new_sites_file_breaking_a_rule_stops_start_up(app: Flask, text: str, word: str) -> None:
    path = Path(app.config["DATA_DIR"]) / "sites" / "lillby.toml"
    path.parent.mkdir()
    path.write_text(text.replace('code = "EXS"', 'code = "LBY"', 1), encoding="utf-8")
    with pytest.raises(SiteConfigError, match=re.escape(f"{path}: ")) as refused:
        prepare(app)
    assert word in str(refused.value)
    assert _stored(app, "LBY") is None


def test_a_file_older_than_the_stored_copy_is_not_read_and_gets_the_stored_copy_back(
    app: Flask,
) -> None:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    path.write_text(HAND_EDITS["misspelt-contrast"][0], encoding="utf-8")
    _age(path, 3600)
    prepare(app)
    assert _stored(app) == EXAMPLE
    assert path.read_text(encoding="utf-8") == EXAMPLE


def test_a_stored_copy_breaking_a_newer_rule_starts_when_its_file_is_unchanged(
    app: Flask,
) -> None:
    old = HAND_EDITS["hours-without-fallback"][0]
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    with app.app_context():
        db.session.get(Site, 1).config_toml = old
        db.session.commit()
    path.write_text(old, encoding="utf-8")
    prepare(app)
    assert _stored(app) == old


def test_a_flask_command_refuses_a_hand_edited_file_in_swedish(
    app: Flask, runner: FlaskCliRunner
) -> None:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    path.write_text(HAND_EDITS["misspelt-mr-safety"][0], encoding="utf-8")
    result = runner.invoke(args=["create-user", "anna", "--role", "admin", "--pin", "135790"])
    assert result.exit_code == 2, result.output
    assert f"{path}: " in result.output and "mr_saftey" in result.output
    assert "Traceback" not in result.output


def test_app_py_refuses_a_hand_edited_file_naming_it_with_exit_code_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / "site.toml"
    path.write_text(HAND_EDITS["misspelt-contrast"][0], encoding="utf-8")
    env = os.environ | {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "app.py"), "--port", "8099", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    assert f"Kan inte starta: {path}: " in result.stderr
    assert "kontrast" in result.stderr
    assert "Traceback" not in result.stderr
    assert "är igång" not in result.stdout


def test_app_py_shows_only_the_refusal_not_the_same_rule_as_a_warning_first(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = data / "site.toml"
    # Read leniently, the number with letters is a broken rule the start-up warns about.
    path.write_text(HAND_EDITS["phone-with-letters"][0], encoding="utf-8")
    env = os.environ | {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "app.py"), "--port", "8099", "--data-dir", str(data)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    output = result.stdout + result.stderr
    assert f"Kan inte starta: {path}: " in output
    assert output.count("0999-4OO OO") == 1, output
    assert f"WARNING {path}" not in output, output
