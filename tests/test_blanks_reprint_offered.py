"""The binder page offers to reprint unused sheets only of a kind that has unused codes."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

REPRINTS = {
    "BLR": "Skriv ut oanvända remisser igen",
    "BLD": "Skriv ut oanvända dokumentationsblanketter igen",
    "BLU": "Skriv ut oanvända utlåtanden igen",
}


def _offered(client: FlaskClient) -> set[str]:
    page = client.get("/blanks/").get_data(as_text=True)
    return {kind for kind in REPRINTS if f"/blanks/unused.pdf?kind={kind}" in page}


def test_without_unused_codes_no_reprint_is_offered(client: FlaskClient, auth) -> None:
    auth.login("admin")
    page = client.get("/blanks/").get_data(as_text=True)
    assert "Oanvända koder (0)" in page
    assert _offered(client) == set()
    assert not any(label in page for label in REPRINTS.values())


def test_only_the_kinds_with_unused_codes_are_offered_each_with_its_own_label(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "2"})
    page = client.get("/blanks/").get_data(as_text=True)
    assert _offered(client) == {"BLD"}
    assert REPRINTS["BLD"] in page and REPRINTS["BLR"] not in page
    client.post("/blanks/reserve", data={"doc_kind": "BLR", "count": "1"})
    assert _offered(client) == {"BLR", "BLD"}


def test_a_kind_whose_codes_are_all_voided_is_no_longer_offered(client: FlaskClient, auth) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "1"})
    assert _offered(client) == {"BLU"}
    page = client.get("/blanks/").get_data(as_text=True)
    code = re.search(r'action="/blanks/([^"/]+)/void"', page)[1]  # type: ignore[index]
    assert client.post(f"/blanks/{code}/void", data={"reason": "Trasig"}).status_code == 302
    assert _offered(client) == set()
