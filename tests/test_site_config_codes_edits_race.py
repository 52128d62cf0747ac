"""A site configuration save and a write that changes a case's codes at the same moment: the
exam's documentation (modality, room, exam), a referral edit and a radiologist's new priority.
The code the save removes is either found in use (the save is refused) or refused to the write,
next to its field, with what was typed kept."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import webapp.cases.creation as creation
import webapp.cases.exam_services as exam_services
import webapp.cases.services as case_services
import webapp.cases.submissions as submissions
from webapp.extensions import db
from webapp.models import Case, ExamRecord, Referral, Site
from webapp.siteconfig import parse_site_config
from webapp.sites import save_site_config

from .dbsetup import using_postgres
from .factories import declare_incident, exam_data, referral_data
from .row_held import sent_while_stopped_before
from .test_site_config_codes_race import EXAMPLE, WITHOUT_PRIORITY

US_EXAM = '[[exams]]\ncode = "US-BUK"\nname = "Ultraljud buk"\nmodality = "US"\n\n'
US_MODALITY = '[[modalities]]\ncode = "US"\nname = "Ultraljud"\nrooms = ["UL 1", "UL 2"]\n\n'
WITHOUT_ROOM = EXAMPLE.replace('rooms = ["DT 1", "DT 2"]', 'rooms = ["DT 1"]', 1)
WITHOUT_EXAM = EXAMPLE.replace(US_EXAM, "", 1)
WITHOUT_MODALITY = WITHOUT_EXAM.replace(US_MODALITY, "", 1)
# The case's referral asks for a CT head (CT-HJ) at priority akut: none of these is removed.
US_EXAM_DONE = {
    "modality": "US",
    "room": "UL 1",
    "exam_text": "Ultraljud buk",
    "exam_code": "US-BUK",
}


def test_the_codes_removed_are_ones_only_the_writes_name() -> None:
    for text, gone in (
        (WITHOUT_ROOM, '"DT 2"'),
        (WITHOUT_EXAM, '"US-BUK"'),
        (WITHOUT_MODALITY, 'code = "US"'),
    ):
        assert gone in EXAMPLE and gone not in text
        parse_site_config(text)


def _site_id(app: Flask) -> int:
    with app.app_context():
        site_id = db.session.scalar(select(Site.id))
        assert site_id is not None
        return site_id


def _new_case(client: FlaskClient) -> int:
    """A CT head referral at priority akut, in a new incident; the radiographer logged in."""
    declare_incident(client, "om_ris")
    response = client.post("/cases/new", data=referral_data())
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _saved_meanwhile(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, site_id: int, text: str
) -> None:
    """The save commits after the request checked its form, just before the write begins."""
    real = getattr(module, name)
    saved = False

    def saved_first(*args: Any, **kwargs: Any) -> Any:
        # Once: the save itself may pass through the same step (the form-key step does).
        nonlocal saved
        if not saved:
            saved = True
            save_site_config(site_id, text, None)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, saved_first)


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error"[^>]*>(.*?)</p>', html.unescape(page), re.S)
    assert found, f"no error next to {field}"
    return found.group(1)


def _exams(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(ExamRecord)) or 0)


@pytest.mark.parametrize(
    ("config", "overrides", "field", "gone"),
    [
        (WITHOUT_ROOM, {"room": "DT 2"}, "room", "rummet DT 2"),
        (WITHOUT_EXAM, US_EXAM_DONE, "exam_text", "undersökningen US-BUK"),
        (WITHOUT_MODALITY, US_EXAM_DONE, "modality", "modaliteten US"),
    ],
    ids=["room", "exam", "modality"],
)
def test_an_exam_whose_code_a_save_removed_meanwhile_is_refused_next_to_the_field(
    app: Flask,
    client: FlaskClient,
    auth,
    monkeypatch: pytest.MonkeyPatch,
    config: str,
    overrides: dict[str, str],
    field: str,
    gone: str,
) -> None:
    auth.login("radiographer")
    case_id = _new_case(client)
    _saved_meanwhile(monkeypatch, exam_services, "write_once", _site_id(app), config)
    response = client.post(
        f"/cases/{case_id}/exam", data=exam_data(notes="Oroligt barn i rummet", **overrides)
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"{gone} finns inte längre" in _error(page, field)
    assert "Oroligt barn i rummet" in page and "TMP-CT1-0042" in page
    assert _exams(app) == 0


def test_a_referral_edit_whose_priority_a_save_removed_meanwhile_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth.login("radiographer")
    case_id = _new_case(client)
    _saved_meanwhile(
        monkeypatch, case_services, "write_transaction", _site_id(app), WITHOUT_PRIORITY
    )
    edit = referral_data(
        priority="inom_timmar",
        clinical_question="Blödning? Ny uppgift: föll igen.",
        key_suffix="x",
        version="1",
        case_version="1",
    )
    response = client.post(f"/cases/{case_id}/referral", data=edit)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "prioriteten inom_timmar finns inte längre" in _error(page, "priority")
    assert "Ny uppgift: föll igen." in html.unescape(page)
    assert 'value="inom_timmar"' not in page
    with app.app_context():
        assert db.session.scalar(select(Case.priority)) == "akut"
        assert db.session.scalar(select(Referral.version)) == 1


def test_a_priority_change_to_a_priority_a_save_removed_meanwhile_is_refused_next_to_it(
    app: Flask,
    client: FlaskClient,
    auth,
    monkeypatch: pytest.MonkeyPatch,
    tablet_factory: Callable[..., FlaskClient],
) -> None:
    auth.login("radiographer")
    case_id = _new_case(client)
    radiologist = tablet_factory("rad-asa", role="radiologist")
    # The change runs its transaction through the form-key step (store_once, write_once).
    _saved_meanwhile(monkeypatch, submissions, "write_once", _site_id(app), WITHOUT_PRIORITY)
    response = radiologist.post(
        f"/reporting/{case_id}/priority",
        data={"priority": "inom_timmar", "reason": "Stabil enligt avdelningen"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "prioriteten inom_timmar finns inte längre" in _error(page, "priority")
    assert "Stabil enligt avdelningen" in page
    assert 'value="inom_timmar"' not in page
    with app.app_context():
        assert db.session.scalar(select(Case.priority)) == "akut"


def test_a_referral_whose_exam_a_save_removed_meanwhile_is_refused_next_to_the_exam(
    app: Flask, client: FlaskClient, auth, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exam is picked by its name; its code is a hidden field, which shows no message."""
    auth.login("radiographer")
    declare_incident(client, "om_ris")
    _saved_meanwhile(monkeypatch, creation, "write_once", _site_id(app), WITHOUT_EXAM)
    data = referral_data(modality="US", exam_text="Ultraljud buk", exam_code="US-BUK")
    response = client.post("/cases/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "undersökningen US-BUK finns inte längre" in _error(page, "exam_text")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0


@dataclass(frozen=True)
class Write:
    """A write of a code that `config` removes: what it is, and the field it is refused at."""

    name: str
    statement: str  # the write's first statement after its check of the codes
    config: str
    gone: str
    field: str

    def send(self, client: FlaskClient, radiologist: FlaskClient, case_id: int) -> Any:
        if self.name == "exam":
            return client.post(f"/cases/{case_id}/exam", data=exam_data(room="DT 2"))
        if self.name == "referral_edit":
            edit = referral_data(
                priority="inom_timmar", key_suffix="x", version="1", case_version="1"
            )
            return client.post(f"/cases/{case_id}/referral", data=edit)
        return radiologist.post(
            f"/reporting/{case_id}/priority", data={"priority": "inom_timmar", "reason": "Sämre"}
        )

    def stored(self, app: Flask) -> bool:
        """Whether the case holds the code the save removes."""
        with app.app_context():
            if self.name == "exam":
                return db.session.scalar(select(ExamRecord.room)) == "DT 2"
            return db.session.scalar(select(Case.priority)) == "inom_timmar"


WRITES = [
    Write("exam", r'INSERT INTO "?exam_record"?\s', WITHOUT_ROOM, "rummet DT 2", "room"),
    Write(
        "referral_edit",
        r'UPDATE "?case"? SET',
        WITHOUT_PRIORITY,
        "prioriteten inom_timmar",
        "priority",
    ),
    Write(
        "priority_change",
        r'UPDATE "?case"? SET',
        WITHOUT_PRIORITY,
        "prioriteten inom_timmar",
        "priority",
    ),
]


@pytest.fixture
def race(
    client: FlaskClient, auth, tablet_factory: Callable[..., FlaskClient]
) -> tuple[int, FlaskClient, FlaskClient]:
    """A case, the radiologist's tablet and the admin's."""
    auth.login("radiographer")
    case_id = _new_case(client)
    return (
        case_id,
        tablet_factory("rad-asa", role="radiologist"),
        tablet_factory("admin-anna", role="admin"),
    )


@pytest.mark.skipif(not using_postgres(), reason="SQLite runs the writes one at a time")
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_a_save_while_a_write_of_its_removed_code_is_made_is_refused(
    app: Flask, client: FlaskClient, race: tuple[int, FlaskClient, FlaskClient], write: Write
) -> None:
    """The write has checked its codes before the save checks the codes in use; it commits
    after."""
    case_id, radiologist, admin = race
    with app.app_context():
        before = db.session.scalar(select(Site.config_toml))
    written, saved = sent_while_stopped_before(
        app,
        re.compile(write.statement, re.I),
        lambda: write.send(client, radiologist, case_id),
        lambda: admin.post("/admin/site", data={"config_toml": write.config}),
    )
    assert written.status_code == 302
    assert saved.status_code == 400
    assert write.gone in html.unescape(saved.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalar(select(Site.config_toml)) == before
    assert write.stored(app)


@pytest.mark.skipif(not using_postgres(), reason="SQLite runs the writes one at a time")
@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_a_write_of_a_code_a_save_is_removing_is_refused_next_to_the_field(
    app: Flask, client: FlaskClient, race: tuple[int, FlaskClient, FlaskClient], write: Write
) -> None:
    """The save has checked the codes in use before the write reads the configuration; it
    commits after."""
    case_id, radiologist, admin = race
    saved, written = sent_while_stopped_before(
        app,
        re.compile(r'UPDATE "?site"? SET', re.I),
        lambda: admin.post("/admin/site", data={"config_toml": write.config}),
        lambda: write.send(client, radiologist, case_id),
    )
    assert saved.status_code == 302
    assert written.status_code == 400
    assert f"{write.gone} finns inte längre" in _error(written.get_data(as_text=True), write.field)
    assert not write.stored(app)
