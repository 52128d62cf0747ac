"""A blank kind has one name: the reserve form's choice, the list of codes and the audit log
say the same, so the admin finds in the list and the log the blanks they chose."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from .factories import audit_events

KINDS = ["BLR", "BLD", "BLU"]


def _choice_name(page: str, kind: str) -> str:
    found = re.search(rf'value="{kind}"> <span>([^<]+)</span>', page)
    assert found, f"no choice {kind} on the page"
    return found.group(1)


def _listed_name(page: str, code: str) -> str:
    found = re.search(rf'<td class="mono">{code}</td>\s*<td[^>]*>([^<]+)</td>', page)
    assert found, f"{code} is not listed"
    return found.group(1)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_choice_the_list_and_the_audit_name_a_blank_kind_alike(
    app: Flask, client: FlaskClient, auth, kind: str, lang: str
) -> None:
    auth.login("admin")
    client.post("/language", data={"lang": lang})
    chosen = _choice_name(client.get("/blanks/").get_data(as_text=True), kind)
    assert client.post("/blanks/reserve", data={"doc_kind": kind, "count": "1"}).status_code == 302
    [event] = audit_events(app, "blank_reserve")
    code = event.detail.split(": ", 1)[1].split("–", 1)[0]
    assert _listed_name(client.get("/blanks/").get_data(as_text=True), code) == chosen
    if lang == "sv":
        # The log keeps its details in Swedish, whatever language its reader chose.
        assert event.detail.startswith(f"1 × {chosen}: ")
