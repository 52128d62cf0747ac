"""A routine the site file leaves out is not there from a typed or bookmarked address either.

Nordmark (tests/other_site_support.py) has no image-transfer routine; here its release section
is left out too. The routines page offers neither, and each of their addresses, opened or
sent, answers 404 in Swedish and writes nothing: no read in the access log, no request.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from .dbsetup import make_test_app
from .factories import exam_data, referral_data
from .other_site_support import NORDMARK_CASE, NORDMARK_EXAM, done, last_id, login
from .routines_support import release_data, transfer_data
from .test_cross_site_requests import _all_rows
from .test_routines_offered import WITHOUT_RELEASE

ROUTINES = ("transfer", "release")
# Every route of the two routines; {case_id} is a case of the site.
ROUTES = [
    ("transfer", "GET", "/routines/transfers"),
    ("transfer", "GET", "/routines/transfers/new"),
    ("transfer", "POST", "/routines/transfers/new"),
    ("transfer", "GET", "/routines/transfers/1"),
    ("transfer", "POST", "/routines/transfers/1/attempts"),
    ("transfer", "POST", "/routines/transfers/1/checks"),
    ("transfer", "POST", "/routines/transfers/1/close"),
    ("transfer", "GET", "/routines/transfers/1/label.pdf"),
    ("release", "GET", "/routines/releases/cases/{case_id}"),
    ("release", "POST", "/routines/releases/cases/{case_id}"),
    ("release", "GET", "/routines/releases/1"),
    ("release", "POST", "/routines/releases/1/handover"),
    ("release", "POST", "/routines/releases/1/report"),
    ("release", "POST", "/routines/releases/1/report.pdf"),
    ("release", "GET", "/routines/releases/1/label.pdf"),
    ("release", "GET", "/routines/releases/billing"),
]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app on a fresh database whose only site is Nordmark without a release routine."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(WITHOUT_RELEASE, encoding="utf-8")
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


@pytest.fixture
def case_id(app: Flask, client: FlaskClient) -> str:
    """An examined case of an outage at Nordmark; the client is then the admin (who reaches all)."""
    login(app, client, "radiographer")
    done(client.post("/incidents/new", data={"scenario": "kedjan"}))
    case_url = done(client.post("/cases/new", data=referral_data(**NORDMARK_CASE)))
    done(client.post(case_url + "/exam", data=exam_data(**NORDMARK_EXAM)))
    login(app, client, "admin")
    return last_id(case_url)


def _routine_rules(app: Flask, routine: str) -> list[Rule]:
    prefix = f"routines.{routine}_"
    return [r for r in app.url_map.iter_rules() if r.endpoint.startswith(prefix)]


def _requests(app: Flask, case_id: str) -> list[tuple[str, str, str]]:
    """(routine, method, address) of every route of the two routines."""
    made = []
    for routine in ROUTINES:
        for rule in _routine_rules(app, routine):
            path = re.sub(r"<(?:[a-z]+:)?case_id>", case_id, rule.rule)
            # No transfer or release was ever made here: any id names none.
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+_id>", "1", path)
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                made.append((routine, method, path))
    return made


@pytest.mark.parametrize(("routine", "method", "address"), ROUTES)
def test_a_routine_the_site_lacks_answers_not_found_and_writes_nothing(
    app: Flask, client: FlaskClient, case_id: str, routine: str, method: str, address: str
) -> None:
    form = transfer_data() if routine == "transfer" else release_data()
    before = _all_rows(app)
    response = client.open(address.format(case_id=case_id), method=method, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 404, page
    assert "Fel 404" in page
    assert _all_rows(app) == before


def test_every_route_of_the_two_routines_is_in_the_list(app: Flask, case_id: str) -> None:
    # A route added to either routine fails here until it is in ROUTES.
    listed = {(routine, method, path.format(case_id=case_id)) for routine, method, path in ROUTES}
    assert set(_requests(app, case_id)) == listed


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("/routines/transfers", "Bildöverföring till/från annan region används inte"),
        ("/routines/transfers/new", "Bildöverföring till/från annan region används inte"),
        ("/routines/releases/billing", "Utlämnande av bilder används inte"),
    ],
)
def test_a_routine_the_site_lacks_says_so_in_swedish(
    client: FlaskClient, case_id: str, address: str, says: str
) -> None:
    assert says in client.get(address).get_data(as_text=True)


def test_the_release_form_of_a_case_says_the_routine_is_not_used(
    client: FlaskClient, case_id: str
) -> None:
    page = client.get(f"/routines/releases/cases/{case_id}").get_data(as_text=True)
    assert "Utlämnande av bilder används inte" in page
