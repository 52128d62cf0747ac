"""A final batch that cannot be written says why in the admin's language, not the system's."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .catchup_support import incident_ended, reconcile_world, with_page_lists
from .catchup_world_support import world as world  # the fixture


def _close_with_a_file_where_the_exports_go(
    app: Flask, client: FlaskClient, auth, world, lang: str
) -> str:
    (Path(app.config["DATA_DIR"]) / "exports").write_text("a file where the folder should be")
    reconcile_world(client, auth, world)
    auth.login("admin")
    client.post("/language", data={"lang": lang, "next": "/"})
    response = client.post(
        f"/catchup/incidents/{world['incident_id']}/close",
        data=with_page_lists(client, world["incident_id"], {"confirm_unnotified": "y"}),
        follow_redirects=True,
    )
    assert incident_ended(app, world["incident_id"])
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.sqlite_only  # a backup is taken after it: the app backs up SQLite only
def test_a_final_batch_not_written_says_why_in_english(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    page = _close_with_a_file_where_the_exports_go(app, client, auth, world, "en")
    assert (
        "The final reconciliation could not be saved on the laptop "
        "(a file is where the target folder should be)"
    ) in page
    assert "Errno" not in page


@pytest.mark.sqlite_only
def test_a_final_batch_not_written_says_why_in_swedish(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    page = _close_with_a_file_where_the_exports_go(app, client, auth, world, "sv")
    assert (
        "Den slutliga avstämningen kunde inte sparas på datorn (en fil står där målmappen ska vara)"
    ) in page
    assert "Errno" not in page
