"""On the catch-up page, the header's "waiver waits" leads to the waiver section to confirm it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from .catchup_world_support import world as world  # the fixture
from .test_unique_ids import duplicate_ids

REASON = "Registrerad direkt i RIS av röntgen"
PENDING = "Undantag väntar på bekräftelse"


def _waived(client: FlaskClient, world) -> int:
    case_id = world["ids"][1]
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    assert response.status_code == 302, response.get_data(as_text=True)
    return case_id


def test_the_catchup_headers_waiting_waiver_links_to_the_waiver_section(
    client: FlaskClient, world
) -> None:
    case_id = _waived(client, world)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    header = page.split('class="flash flash-info waived"', 1)[1].split("</p>", 1)[0]
    assert re.search(rf'<a [^>]*href="#waiver"[^>]*>{PENDING}</a>', header)
    assert len(re.findall(r'\bid="waiver"', page)) == 1
    assert re.search(r'<section [^>]*id="waiver"[^>]*>\s*<h2>Undantag</h2>', page)
    assert duplicate_ids(page) == {}


def test_a_case_page_without_the_waiver_section_names_the_wait_without_a_link(
    client: FlaskClient, auth, world
) -> None:
    case_id = _waived(client, world)
    auth.logout()
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert PENDING in page
    assert 'href="#waiver"' not in page
