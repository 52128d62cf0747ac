"""A routine the site file leaves out is not there from a typed or bookmarked address either.

Nordmark (tests/other_site_support.py) has no image-transfer routine; here its external-reviewer
and release sections are left out too. The routines page offers none of them, and each of their
addresses, opened or sent, answers 404 in Swedish and writes nothing: no read in the access
log, no request. A case faxed to the reviewer before its section was removed keeps its pages.
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
from .factories import case_code, exam_data, referral_data
from .other_site_support import NORDMARK_CASE, NORDMARK_EXAM, done, last_id, login
from .routines_support import receive_data, release_data, transfer_data
from .test_cross_site_requests import _all_rows
from .test_routines_offered import WITHOUT_RELEASE

# Nordmark without its reviewer and release sections: none of the three routines.
WITHOUT_ROUTINES = WITHOUT_RELEASE.split("[routines.external_reviewer]", 1)[0]
ROUTINES = ("reviewer", "transfer", "release")
# The reviewer's administrator pages are named admin_*: its routes are also told by address.
ADDRESSES = {"reviewer": "/routines/reviewer", "transfer": "/routines/transfers/"}
# Every route of the three routines; {case_id} is a case of the site.
ROUTES = [
    ("reviewer", "GET", "/routines/reviewer"),
    ("reviewer", "POST", "/routines/reviewer/steps"),
    ("reviewer", "GET", "/routines/reviewer/cases/{case_id}"),
    ("reviewer", "POST", "/routines/reviewer/cases/{case_id}/fax"),
    ("reviewer", "POST", "/routines/reviewer/cases/{case_id}/route"),
    ("reviewer", "POST", "/routines/reviewer/cases/{case_id}/verbal"),
    ("reviewer", "POST", "/routines/reviewer/cases/{case_id}/forwarded"),
    ("reviewer", "POST", "/routines/reviewer/cases/{case_id}/undo-receipt"),
    ("reviewer", "GET", "/routines/reviewer/receive"),
    ("reviewer", "POST", "/routines/reviewer/receive"),
    ("reviewer", "GET", "/routines/reviewer/queue"),
    ("reviewer", "POST", "/routines/reviewer/queue/1/done"),
    ("reviewer", "POST", "/routines/reviewer/queue/1/removed-from-ris/1"),
    ("reviewer", "GET", "/routines/reviewer/routes"),
    ("reviewer", "GET", "/routines/reviewer/routes/direkt"),
    ("reviewer", "POST", "/routines/reviewer/routes/direkt"),
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
    """The app on a fresh database whose only site is Nordmark without the three routines."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    (tmp_path / "site.toml").write_text(WITHOUT_ROUTINES, encoding="utf-8")
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
    address = ADDRESSES.get(routine, f"/routines/{routine}s/")
    return [
        r
        for r in app.url_map.iter_rules()
        if r.endpoint.startswith(prefix) or r.rule.startswith(address)
    ]


def _requests(app: Flask, case_id: str) -> list[tuple[str, str, str]]:
    """(routine, method, address) of every route of the three routines."""
    made = []
    for routine in ROUTINES:
        for rule in _routine_rules(app, routine):
            path = re.sub(r"<(?:[a-z]+:)?case_id>", case_id, rule.rule)
            # Nothing was ever made under the routines here: any id names none.
            path = re.sub(r"<(?:[a-z]+:)?[a-z_]+_id>", "1", path)
            # The reviewer's image route as Nordmark's file had it.
            path = path.replace("<key>", "direkt")
            for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
                made.append((routine, method, path))
    return made


@pytest.mark.parametrize(("routine", "method", "address"), ROUTES)
def test_a_routine_the_site_lacks_answers_not_found_and_writes_nothing(
    app: Flask, client: FlaskClient, case_id: str, routine: str, method: str, address: str
) -> None:
    form = {
        "reviewer": _reviewer_data(app, case_id),
        "transfer": transfer_data(),
        "release": release_data(),
    }[routine]
    before = _all_rows(app)
    response = client.open(address.format(case_id=case_id), method=method, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 404, page
    assert "Fel 404" in page
    assert _all_rows(app) == before


def _reviewer_data(app: Flask, case_id: str) -> dict[str, str]:
    """What each of the reviewer's forms sends, filled in as it would be taken."""
    return {
        **receive_data(case_code(app, int(case_id))),
        "fax-number": "0111-444 01",
        "fax-sent_at": "2026-01-15T11:10",
        "route-route_key": "direkt",
        "route-outcome": "ok",
        "verbal-reviewer_name": "Dr Granskare",
        "verbal-called_person": "Dr Remittent",
        "verbal-called_at": "2026-01-15T11:30",
        "verbal-note": "Ingen blödning.",
        "key": "reviewer:fjarrgranskningen_varskodd",
        "is_done": "1",
        "is_working": "0",
        "note": "Ur funktion",
    }


def test_every_route_of_the_three_routines_is_in_the_list(app: Flask, case_id: str) -> None:
    # A route added to any of the routines fails here until it is in ROUTES.
    listed = {(routine, method, path.format(case_id=case_id)) for routine, method, path in ROUTES}
    assert set(_requests(app, case_id)) == listed


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("/routines/reviewer", "Extern granskare (natt) används inte"),
        ("/routines/reviewer/receive", "Extern granskare (natt) används inte"),
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


def test_no_page_leads_to_the_reviewer_routine_the_site_lacks(
    app: Flask, client: FlaskClient, case_id: str
) -> None:
    index = client.get("/routines/").get_data(as_text=True)
    assert "Extern granskare (natt)" not in index and "/routines/reviewer" not in index
    assert "Inga fler rutiner används på den här avdelningen." in index
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "/routines/reviewer" not in case_page
    # None of the three: no empty list of them either.
    assert "Fler rutiner för ärendet" not in case_page
    login(app, client, "radiologist")
    screen = client.get(f"/reporting/{case_id}")
    assert screen.status_code == 200
    assert "/routines/reviewer" not in screen.get_data(as_text=True)


def _site_file(app: Flask, client: FlaskClient, text: str) -> None:
    """The admin saves the site file; the radiographer is logged in again after."""
    login(app, client, "admin")
    done(client.post("/admin/site", data={"config_toml": text}))
    login(app, client, "radiographer")


def _faxed_before_the_reviewer_was_dropped(app: Flask, client: FlaskClient) -> tuple[str, str]:
    """A case faxed to the reviewer, and one that was not, while the site had the routine; its
    section has since been removed from the file. The radiographer is logged in."""
    _site_file(app, client, WITHOUT_RELEASE)
    done(client.post("/incidents/new", data={"scenario": "kedjan"}))
    faxed = last_id(done(client.post("/cases/new", data=referral_data(**NORDMARK_CASE))))
    other = last_id(
        done(client.post("/cases/new", data=referral_data(key_suffix="o", **NORDMARK_CASE)))
    )
    fax = {"fax-number": "0111-444 01", "fax-sent_at": "2026-01-15T11:10"}
    done(client.post(f"/routines/reviewer/cases/{faxed}/fax", data=fax))
    _site_file(app, client, WITHOUT_ROUTINES)
    return faxed, other


def test_a_case_faxed_before_the_reviewer_routine_was_dropped_keeps_its_pages(
    app: Flask, client: FlaskClient
) -> None:
    faxed, other = _faxed_before_the_reviewer_was_dropped(app, client)
    index = client.get("/routines/").get_data(as_text=True)
    assert "Extern granskare (natt)" in index and 'href="/routines/reviewer"' in index
    listing = client.get("/routines/reviewer").get_data(as_text=True)
    assert f"/routines/reviewer/cases/{faxed}" in listing
    assert "Extern granskare (natt) används inte längre på den här avdelningen" in listing
    # The image routes were the file's: gone with its section.
    assert "Möjliga bildvägar" not in listing
    case_page = client.get(f"/cases/{faxed}").get_data(as_text=True)
    assert f"/routines/reviewer/cases/{faxed}" in case_page
    assert client.get(f"/routines/reviewer/cases/{faxed}").status_code == 200
    other_page = client.get(f"/cases/{other}").get_data(as_text=True)
    assert "/routines/reviewer" not in other_page
    assert client.get(f"/routines/reviewer/cases/{other}").status_code == 404


def test_the_answer_to_a_fax_sent_before_the_reviewer_routine_was_dropped_is_still_logged(
    app: Flask, client: FlaskClient
) -> None:
    faxed, other = _faxed_before_the_reviewer_was_dropped(app, client)
    login(app, client, "secretary")
    taken = client.post(
        "/routines/reviewer/receive",
        data=receive_data(case_code(app, int(faxed)), forwarded=False),
    )
    assert done(taken).endswith(f"/routines/reviewer/cases/{faxed}")
    # No new exchange under a routine the department no longer has.
    before = _all_rows(app)
    typed = receive_data(case_code(app, int(other)), forwarded=False)
    refused = client.post("/routines/reviewer/receive", data=typed)
    # Said beside the code typed from the fax, everything typed kept: a misread code is the
    # likelier mistake than a routine dropped meanwhile.
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    beside = page.split('id="case_code-error"', 1)[1].split("</p>", 1)[0]
    assert "faxades inte till den externa granskaren" in beside
    assert "används inte längre på den här avdelningen" in beside
    assert f'value="{typed["case_code"]}"' in page
    assert f'value="{typed["reviewer_name"]}"' in page
    fax = {"fax-number": "0111-444 01", "fax-sent_at": "2026-01-15T11:10"}
    assert client.post(f"/routines/reviewer/cases/{other}/fax", data=fax).status_code == 404
    assert _all_rows(app) == before
