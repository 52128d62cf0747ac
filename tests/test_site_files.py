"""Each site's configuration lives in its own file, and a restart keeps every site's latest edit."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.models import Site
from webapp.site_files import SiteFiles
from webapp.sites import save_site_config
from webapp.startup import prepare

from .factories import DEFAULT_PIN, make_user, second_site

FAX = 'fax = "0999-100 01"'


def _config(app: Flask, site_id: int) -> str:
    with app.app_context():
        return db.session.get(Site, site_id).config_toml


def _save_as_admin(client: FlaskClient, username: str, text: str) -> None:
    assert client.post("/login", data={"username": username, "secret": DEFAULT_PIN}).status_code
    response = client.post("/admin/site", data={"config_toml": text})
    assert response.status_code == 302, response.get_data(as_text=True)


def _age(path: Path, seconds: int) -> None:
    """Make the file look written `seconds` before now."""
    stat = path.stat()
    os.utime(path, (stat.st_atime - seconds, stat.st_mtime - seconds))


def test_second_sites_edit_goes_to_its_own_file_and_survives_a_restart(
    app: Flask, client: FlaskClient
) -> None:
    lby = second_site(app)
    with app.app_context():
        make_user(role="admin", username="lbyadmin", site_id=lby)
    data_dir = Path(app.config["DATA_DIR"])
    first_site_file = (data_dir / "site.toml").read_text(encoding="utf-8")
    edited = _config(app, lby).replace(FAX, 'fax = "0999-777 77"', 1)
    _save_as_admin(client, "lbyadmin", edited)
    assert (data_dir / "site.toml").read_text(encoding="utf-8") == first_site_file
    assert (data_dir / "sites" / "lillby.toml").read_text(encoding="utf-8") == edited
    prepare(app)
    assert _config(app, lby) == edited
    with app.app_context():
        assert 'code = "EXS"' in db.session.get(Site, 1).config_toml


def test_first_sites_edit_goes_to_site_toml_and_leaves_the_other_sites_file(
    app: Flask, client: FlaskClient
) -> None:
    second_site(app)
    with app.app_context():
        make_user(role="admin", username="exsadmin", site_id=1)
    data_dir = Path(app.config["DATA_DIR"])
    other_file = (data_dir / "sites" / "lillby.toml").read_text(encoding="utf-8")
    edited = _config(app, 1).replace(FAX, 'fax = "0999-555 55"', 1)
    _save_as_admin(client, "exsadmin", edited)
    assert (data_dir / "site.toml").read_text(encoding="utf-8") == edited
    assert (data_dir / "sites" / "lillby.toml").read_text(encoding="utf-8") == other_file


def test_a_file_edited_by_hand_after_the_last_save_wins_at_start_up(app: Flask) -> None:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    edited = path.read_text(encoding="utf-8").replace(FAX, 'fax = "0999-123 45"', 1)
    path.write_text(edited, encoding="utf-8")
    prepare(app)
    assert _config(app, 1) == edited


def test_an_edit_saved_in_the_app_after_the_file_was_written_wins_and_is_written_back(
    app: Flask,
) -> None:
    from webapp.sites import save_site_config

    path = Path(app.config["DATA_DIR"]) / "site.toml"
    with app.app_context():
        saved = db.session.get(Site, 1).config_toml.replace(FAX, 'fax = "0999-999 99"', 1)
        # Saved without its file, as when the file write was lost after the commit.
        save_site_config(1, saved, None)
    _age(path, 3600)
    prepare(app)
    assert _config(app, 1) == saved
    assert path.read_text(encoding="utf-8") == saved


def test_a_site_whose_file_is_gone_keeps_its_configuration_and_gets_the_file_back(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        make_user(role="admin", username="exsadmin", site_id=1)
    edited = _config(app, 1).replace(FAX, 'fax = "0999-555 55"', 1)
    _save_as_admin(client, "exsadmin", edited)
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    path.unlink()
    prepare(app)
    assert _config(app, 1) == edited
    assert path.read_text(encoding="utf-8") == edited


def test_a_second_file_with_the_same_site_code_is_not_read(app: Flask) -> None:
    data_dir = Path(app.config["DATA_DIR"])
    text = (data_dir / "site.toml").read_text(encoding="utf-8")
    (data_dir / "sites").mkdir()
    (data_dir / "sites" / "copy.toml").write_text(
        text.replace(FAX, 'fax = "0999-000 00"', 1), encoding="utf-8"
    )
    prepare(app)
    assert _config(app, 1) == text


def test_a_site_file_that_is_not_usable_stops_start_up_naming_the_file(app: Flask) -> None:
    from webapp.siteconfig import SiteConfigError

    path = Path(app.config["DATA_DIR"]) / "site.toml"
    typed = path.read_text(encoding="utf-8").replace("rank = 1", 'rank = "hög"', 1)
    path.write_text(typed, encoding="utf-8")
    with pytest.raises(
        SiteConfigError, match=re.escape(f'{path}: prioritet "akut": rank ska vara')
    ):
        prepare(app)


def test_a_saved_copy_that_no_longer_passes_the_checks_gives_way_to_its_file(app: Flask) -> None:
    path = Path(app.config["DATA_DIR"]) / "site.toml"
    text = path.read_text(encoding="utf-8")
    with app.app_context():
        # As saved by an earlier version, which read "nej" as true.
        db.session.get(Site, 1).config_toml = text.replace("four_eyes = true", 'four_eyes = "nej"')
        db.session.commit()
    _age(path, 3600)
    prepare(app)
    assert _config(app, 1) == text


def test_an_edit_whose_commit_fails_leaves_the_file_as_it_was(app: Flask) -> None:
    data_dir = Path(app.config["DATA_DIR"])
    before = (data_dir / "site.toml").read_text(encoding="utf-8")
    edited = _config(app, 1).replace(FAX, 'fax = "0999-444 44"', 1)

    def disk_full(_session: Session) -> None:
        raise OSError("database or disk is full")

    event.listen(Session, "before_commit", disk_full)
    try:
        with app.app_context(), pytest.raises(OSError, match="disk is full"):
            save_site_config(1, edited, SiteFiles.from_config(app.config))
    finally:
        event.remove(Session, "before_commit", disk_full)
    assert (data_dir / "site.toml").read_text(encoding="utf-8") == before
    prepare(app)  # a restart must not read the unsaved edit in as a hand edit
    assert _config(app, 1) == before
