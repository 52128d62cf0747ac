"""Where am I and what do I do next: the current nav link and the start page's actions."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from .conftest import AuthActions


def _links(page: str) -> list[str]:
    return re.findall(r"<a [^>]*>[^<]*</a>", page)


def _link(page: str, text: str) -> str:
    found = [a for a in _links(page) if re.search(rf">\s*{re.escape(text)}\s*</a>", a)]
    assert found, f"no link {text!r}"
    return found[0]


@pytest.mark.parametrize(("url", "label"), [("/", "Start"), ("/board/", "Tavla")])
def test_nav_marks_the_current_page(
    client: FlaskClient, auth: AuthActions, url: str, label: str
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    page = client.get(url, follow_redirects=True).get_data(as_text=True)
    nav = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
    current = re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', nav)
    assert current == [label]


@pytest.mark.parametrize(
    ("role", "primary"),
    [
        ("radiographer", "Ny remiss"),
        ("radiologist", "Arbetslista"),
        ("secretary", "Efterregistrering"),
    ],
)
def test_start_page_in_an_outage_leads_with_the_roles_work(
    client: FlaskClient, auth: AuthActions, role: str, primary: str
) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    auth.logout()
    auth.login(role=role)
    page = client.get("/").get_data(as_text=True)
    actions = page.split('class="start-actions"', 1)[1].split("</nav>", 1)[0]
    assert "btn-primary" in _link(actions, primary)
    assert "btn-primary" not in _link(page, "Registrera driftstopp")


def test_start_page_without_an_outage_leads_with_declaring_one(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login()
    page = client.get("/").get_data(as_text=True)
    assert "start-actions" not in page
    assert "btn-primary" in _link(page, "Registrera driftstopp")


@pytest.mark.parametrize("role", ["radiographer", "radiologist", "secretary", "admin"])
def test_every_link_on_a_case_page_with_an_urgent_finding_opens_for_the_role(
    client: FlaskClient, auth: AuthActions, role: str
) -> None:
    from .routines_support import make_case, report_form

    case_id = make_case(client, auth)
    auth.login("radiologist")
    urgent = report_form("preliminary", "u" * 20) | {"is_urgent": "y"}
    assert client.post(f"/reporting/{case_id}", data=urgent).status_code == 302
    auth.logout()
    auth.login(role=role)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "remittenten är inte ringd än" in page
    main = page.split('<main id="main"', 1)[1]
    links = {h.replace("&amp;", "&") for h in re.findall(r'<a [^>]*href="(/[^"]*)"', main)}
    for link in sorted(h for h in links if ".pdf" not in h):
        assert client.get(link).status_code != 403, link
    # Those who log the call are led to it from the case.
    assert (f"/reporting/{case_id}/call" in links) == (role in ("radiologist", "secretary"))
