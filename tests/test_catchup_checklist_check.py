"""The PDF checklist the secretaries tick off tells a case keyed into RIS but not yet checked
against the paper (four eyes) from one that is: both have every step done, and "5/5 steg" alone
read as finished while the case was still outstanding."""

from __future__ import annotations

import io

from flask.testing import FlaskClient
from pypdf import PdfReader

from .catchup_support import tick_all
from .catchup_world_support import world as world  # the fixture
from .export_support import downloaded


def _row_of_first(client: FlaskClient, world) -> str:
    """The checklist's text of the world's first case, up to the second case's code."""
    pdf = downloaded(client, world["incident_id"], "pdf")
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages).split()
    )
    start = text.index(world["codes"][0])
    end = text.find(world["codes"][1], start)
    return text[start : end if end > start else len(text)]


def test_checklist_says_a_keyed_case_still_waits_for_its_check(client: FlaskClient, world) -> None:
    tick_all(client, world["ids"][0])
    row = _row_of_first(client, world)
    assert "5/5 steg, kontroll kvar" in row, row


def test_checklist_says_a_checked_case_is_checked(client: FlaskClient, auth, world) -> None:
    tick_all(client, world["ids"][0])
    auth.logout()
    auth.login("secretary", username="sek2")
    assert client.post(f"/catchup/cases/{world['ids'][0]}/verify").status_code == 302
    row = _row_of_first(client, world)
    assert "5/5 steg, kontrollerad" in row and "kontroll kvar" not in row, row
