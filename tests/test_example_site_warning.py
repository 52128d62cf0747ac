"""A site that still has the fictional example's made-up numbers is said to, before going live."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.example_site import shows_example_numbers
from webapp.siteconfig import parse_site_config

from .conftest import AuthActions
from .proof.helpers import ServerProcess

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
OWN_NUMBERS = EXAMPLE.replace('fax = "0999-100 01"', 'fax = "035-100 01"', 1).replace(
    'phone = "0999-100 00"', 'phone = "035-100 00"', 1
)
OWN = OWN_NUMBERS.replace('code = "EXS"', 'code = "SAS"', 1).replace(
    'name = "Röntgen Exempelstad"', 'name = "Röntgen Sasstad"', 1
)
WARNING = "påhittade nummer"
ENGLISH_WARNING = "made-up numbers"


@pytest.mark.parametrize(
    ("text", "shows"),
    [
        (EXAMPLE, True),
        # The example's code and name with numbers of its own: still the example.
        (OWN_NUMBERS, True),
        (OWN.replace('fax = "035-100 01"', 'fax = "0999-500 01"', 1), True),
        (OWN, False),
    ],
    ids=["example", "code-and-name", "a-contacts-number", "own"],
)
def test_the_example_is_told_by_its_numbers_or_its_code_and_name(text: str, shows: bool) -> None:
    assert shows_example_numbers(parse_site_config(text)) is shows


def _admin_pages(client: FlaskClient) -> list[str]:
    return [
        html.unescape(client.get(url).get_data(as_text=True)) for url in ("/admin/", "/admin/site")
    ]


def test_the_admin_pages_warn_while_the_site_is_the_example(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("admin")
    for page in _admin_pages(client):
        assert WARNING in page and "innan appen tas i bruk" in page
    own = OWN.replace('code = "SAS"', 'code = "EXS"', 1)
    assert client.post("/admin/site", data={"config_toml": own}).status_code == 302
    for page in _admin_pages(client):
        assert WARNING not in page


def test_the_admin_pages_warning_is_in_english_for_an_english_admin(
    client: FlaskClient, auth: AuthActions
) -> None:
    auth.login("admin")
    client.post("/language", data={"lang": "en", "next": "/"})
    for page in _admin_pages(client):
        assert ENGLISH_WARNING in page and WARNING not in page


def _started_output(data_dir: Path) -> str:
    data_dir.mkdir(exist_ok=True)
    server = ServerProcess(data_dir)
    try:
        server.start(timeout=60)
    finally:
        server.kill()
    return "".join(log.read_text(encoding="utf-8") for log in sorted(data_dir.glob("server-*.log")))


def test_start_up_warns_while_the_site_is_the_example(tmp_path: Path) -> None:
    output = _started_output(tmp_path / "data")
    assert "Varning: enheten EXS har fortfarande exempelenhetens påhittade nummer" in output
    assert str(tmp_path / "data" / "site.toml") in output


def test_start_up_says_nothing_of_the_example_for_a_site_of_its_own(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "site.toml").write_text(OWN, encoding="utf-8")
    output = _started_output(data)
    assert f"Data: {data}" in output
    assert "exempelenhetens" not in output
