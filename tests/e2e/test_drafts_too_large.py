"""A draft past the laptop's size limit (a long text pasted in): the tablet says so plainly
beside the form's save status, and keeps the text in its own copy, as when offline.

Served by waitress as the laptop is (app.py): it refuses a body past the limit itself, with
its own 413, before the app sees it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from waitress import create_server

from .conftest import login
from .seed import seed_case

# The laptop's limit is 4 MB; a text that long stalls the browser's layout of its text area
# for longer than a test waits, so the limit here is lowered below what a field can hold.
SMALL_LIMIT = 15000


@pytest.fixture
def laptop_url(live_app: Flask) -> Iterator[str]:
    live_app.config["MAX_CONTENT_LENGTH"] = SMALL_LIMIT
    server: Any = create_server(
        live_app,
        host="127.0.0.1",
        port=0,
        threads=2,
        max_request_body_size=SMALL_LIMIT,
        ident="Reservrutin",
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


def test_a_draft_too_large_for_the_laptop_is_said_and_kept_on_the_tablet(
    page: Page, live_app: Flask, laptop_url: str
) -> None:
    seeded = seed_case(live_app, sign="")
    login(page, laptop_url, "seed-rad")
    page.goto(f"{laptop_url}/reporting/{seeded['case_id']}")
    findings = page.get_by_role("textbox", name="Fynd")
    findings.fill("Ingen blödning.")
    status = page.locator("#report-form .draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")

    # A pasted text past the request limit: the fill's "input" event saves it as typing does.
    # Within the field's own limit (20 000 characters), past the laptop's.
    pasted = "Återfall på vänster sida åtgärdas. " * 500
    assert len(pasted) <= 20000 and len(pasted.encode()) > SMALL_LIMIT
    findings.fill(pasted)
    expect(status).to_contain_text("Texten är för stor för att sparas automatiskt", timeout=15000)
    expect(status).to_contain_text("Korta den")
    key = page.locator("#report-form input[name='form_key']").input_value()
    copy = json.loads(page.evaluate(f"window.localStorage.getItem('reservrutin:draft:{key}')"))
    assert copy["synced"] is False
    assert pasted in copy["data"].values()

    # Shortened, it is saved automatically again.
    findings.fill("Ingen blödning. Kort text.")
    expect(status).to_contain_text("Utkast sparat på datorn", timeout=15000)
