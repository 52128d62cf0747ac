"""The case page lists the case's image transfers, so whoever looks at the case sees one that
is open or failed; at one query at most."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from .routines_support import transfer_case, transfer_data
from .statements import sent_statements

SECTION = "Bildöverföringar för ärendet"


def _transfer(client: FlaskClient, code: str, **overrides: str) -> str:
    data = transfer_data(exam_text="", patient_ref="", case_code=code, **overrides)
    response = client.post("/routines/transfers/new", data=data)
    assert response.status_code == 302
    return response.headers["Location"]


def _section(page: str) -> str:
    found = re.search(r'<section[^>]*id="transfers".*?</section>', page, re.S)
    assert found, "no transfers section"
    return found.group(0)


def test_a_failed_try_of_an_open_transfer_is_on_the_case_page(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    client.post(url + "/attempts", data={"route": "direct", "outcome": "failed"})
    section = _section(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert SECTION in section
    assert f'href="{url}"' in section
    assert "Skicka" in section and "Grannby universitetssjukhus" in section
    assert "Direkt via länkdatorn" in section and "Misslyckades" in section
    assert "Pågår" in section


def test_a_done_transfer_is_shown_done_with_its_last_try(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    url = _transfer(client, code)
    client.post(url + "/attempts", data={"route": "dvd", "outcome": "ok"})
    client.post(url + "/close", data={"close-status": "done", "close-note": "DVD med ambulansen"})
    section = _section(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Klar" in section and "DVD med patienttransporten" in section
    assert "Lyckades" in section


def test_a_transfer_without_a_try_says_so(app: Flask, client: FlaskClient, auth) -> None:
    case_id, code = transfer_case(app, client, auth)
    _transfer(client, code, direction="receive")
    section = _section(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Ta emot" in section and "Inget försök än" in section


def test_a_case_without_transfers_has_no_section(app: Flask, client: FlaskClient, auth) -> None:
    case_id, _ = transfer_case(app, client, auth)
    assert SECTION not in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_the_transfers_cost_the_case_page_one_query_however_many(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id, code = transfer_case(app, client, auth)
    for route in ("direct", "via_region"):
        url = _transfer(client, code)
        client.post(
            url + "/attempts",
            data={"route": route, "via_region": "Region Västerby", "outcome": "failed"},
        )
    with sent_statements(app) as statements:
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert page.count("Misslyckades") == 2
    reads = [s for s in statements if re.search(r"\bFROM image_transfer\b", s)]
    assert len(reads) == 1, reads
    assert not [s for s in statements if re.search(r"\bFROM transfer_attempt\b", s)]
