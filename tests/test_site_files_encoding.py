"""Site files saved by Windows Notepad: UTF-8 with a BOM is read, ANSI is refused in Swedish."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Site
from webapp.siteconfig import SiteConfigError
from webapp.startup import prepare

FAX = 'fax = "0999-100 01"'
BOM = b"\xef\xbb\xbf"


def _site_file(app: Flask) -> Path:
    return Path(app.config["DATA_DIR"]) / "site.toml"


def _stored(app: Flask) -> str:
    with app.app_context():
        return db.session.get(Site, 1).config_toml


def test_a_site_file_saved_with_a_bom_is_read_at_start_up(app: Flask) -> None:
    path = _site_file(app)
    edited = path.read_text(encoding="utf-8").replace(FAX, 'fax = "0999-100 99"', 1)
    path.write_bytes(BOM + edited.encode("utf-8"))
    prepare(app)
    assert _stored(app) == edited


def test_an_edit_of_a_site_whose_file_has_a_bom_goes_to_that_file(
    app: Flask, client: FlaskClient, auth
) -> None:
    path = _site_file(app)
    text = path.read_text(encoding="utf-8")
    path.write_bytes(BOM + text.encode("utf-8"))
    prepare(app)
    auth.login("admin")
    edited = text.replace(FAX, 'fax = "0999-100 77"', 1)
    assert client.post("/admin/site", data={"config_toml": edited}).status_code == 302
    # Not a second file with the same site code, which the next start-up would not read.
    assert path.read_text(encoding="utf-8") == edited
    assert not (Path(app.config["DATA_DIR"]) / "sites").exists()


def test_a_site_file_saved_as_ansi_stops_start_up_naming_the_file_in_swedish(app: Flask) -> None:
    path = _site_file(app)
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(SiteConfigError) as refused:
        prepare(app)
    message = str(refused.value)
    assert str(path) in message
    assert re.search(r"inte sparad som UTF-8.*spara den som UTF-8", message), message


def test_an_edit_saved_while_the_file_was_changed_to_ansi_is_saved_without_an_english_error(
    app: Flask, client: FlaskClient, auth
) -> None:
    path = _site_file(app)
    text = path.read_text(encoding="utf-8")
    # Changed in Notepad while the app runs, saved as ANSI; the app has not read it.
    path.write_bytes(text.replace(FAX, 'fax = "0999-100 55"', 1).encode("cp1252"))
    auth.login("admin")
    edited = text.replace(FAX, 'fax = "0999-100 66"', 1)
    response = client.post("/admin/site", data={"config_toml": edited})
    page = html.unescape(response.get_data(as_text=True))
    assert "codec" not in page
    assert response.status_code == 302, page
    assert _stored(app) == edited
    # The site's file gets the saved text, as for any edit made in the app.
    assert path.read_text(encoding="utf-8") == edited
    assert not (Path(app.config["DATA_DIR"]) / "sites").exists()
    prepare(app)
    assert _stored(app) == edited


def test_an_edit_whose_file_cannot_be_read_back_is_put_back_byte_for_byte(app: Flask) -> None:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from webapp.site_files import SiteFiles
    from webapp.sites import save_site_config

    path = _site_file(app)
    text = path.read_text(encoding="utf-8")
    ansi = text.encode("cp1252")
    path.write_bytes(ansi)

    def disk_full(_session: Session) -> None:
        raise OSError("database or disk is full")

    event.listen(Session, "before_commit", disk_full)
    try:
        with app.app_context(), pytest.raises(OSError, match="disk is full"):
            save_site_config(
                1, text.replace(FAX, 'fax = "0999-100 44"', 1), SiteFiles.from_config(app.config)
            )
    finally:
        event.remove(Session, "before_commit", disk_full)
    assert path.read_bytes() == ansi
