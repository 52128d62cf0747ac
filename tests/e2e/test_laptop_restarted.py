"""The laptop's server dies while a referral is typed and comes back as a new process.

The other journeys run the app in a thread of the test; here it is `python app.py` (waitress,
SQLite WAL on a data dir), SIGKILLed and started again on the same port, as a laptop whose
server crashed or was restarted by IT.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ..proof.helpers import Client, ServerProcess, db_rows, prepare_data_dir
from .referral_support import fill_referral


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[tuple[ServerProcess, dict[str, str]]]:
    data_dir = tmp_path / "data"
    cookies = prepare_data_dir(data_dir, ["omstart-rsk"])["omstart-rsk"]
    server = ServerProcess(data_dir, threads=4)
    try:
        server.start()
        Client(server.base_url, cookies=dict(cookies)).declare_incident()
        yield server, cookies
    finally:
        server.kill()


def _draft_data(server: ServerProcess, key: str) -> dict[str, str]:
    rows = db_rows(server.data_dir, "SELECT data FROM draft WHERE form_key = ?", (key,))
    return json.loads(rows[0][0]) if rows else {}


def test_text_typed_while_the_server_was_down_arrives_and_sends_after_its_restart(
    page: Page, laptop: tuple[ServerProcess, dict[str, str]]
) -> None:
    server, cookies = laptop
    page.context.add_cookies(
        [{"name": k, "value": v, "url": server.base_url} for k, v in cookies.items()]
    )
    page.goto(f"{server.base_url}/cases/new")
    status = page.locator(".draft-status")
    fill_referral(page, "Omar Omstart")
    expect(status).to_contain_text("Utkast sparat på datorn", timeout=8000)
    key = page.locator("input[name='form_key']").input_value()

    server.kill()
    page.get_by_role("textbox", name="Anamnes").fill("Typed while the laptop was down.")
    expect(status).to_contain_text("Ingen kontakt", timeout=8000)

    server.start()  # a new process, on the same port and data dir
    expect(status).to_contain_text("Utkast sparat på datorn", timeout=10000)
    deadline = time.monotonic() + 5
    while _draft_data(server, key).get("history") != "Typed while the laptop was down.":
        assert time.monotonic() < deadline, _draft_data(server, key)
        time.sleep(0.2)

    # The page's security token from before the restart still holds: the submit just works.
    page.get_by_role("button", name="Spara remissen").tap()
    expect(page.locator(".flash").first).to_have_text("Remissen är sparad.")
    expect(page.locator(".patient-header")).to_contain_text("Omar Omstart")
    rows = db_rows(
        server.data_dir, 'SELECT count(*) FROM "case" WHERE patient_name = ?', ("Omar Omstart",)
    )
    assert rows == [(1,)]
