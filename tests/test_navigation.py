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
