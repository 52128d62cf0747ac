"""Every form, submitted while the disk refuses writes: drawn again with what was typed, 503.

The form tables of the bad-input tests name every POST route (test_fuzz_forms.py checks that
they do); each form is posted here with valid data and free text in its text fields, on a
database that answers SQLITE_READONLY (see test_storage_refused.py), and again while another
program holds the database's write lock past the app's wait (SQLITE_BUSY, tests/database_busy).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from webapp.auth.lockout import address_key
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.i18n_en import EN
from webapp.models import FailedLogin, ReservedCode, utcnow
from webapp.storage import write_transaction
from webapp.storage_errors import (
    DATABASE_BUSY,
    STORAGE_REFUSED,
    StorageUnavailable,
    start_redrawing,
)

from .database_busy import BUSY_MESSAGE, database_busy
from .factories import DEFAULT_PIN, case_code
from .fuzz_forms_incidents import FIRST_STEP
from .fuzz_harness import Form, clients_for, fill_path
from .reviewer_support import _entries
from .routines_support import make_case, receive_reviewer_report
from .test_access_wall import EXPECTED, PUBLIC, build_world, concrete_path
from .test_fuzz_forms import FORMS, NOT_FORMS
from .test_fuzz_routines import ROUTINE_FORMS, build_routines_world
from .test_storage_refused import MESSAGE, READ_ONLY, refusing_writes

pytestmark = pytest.mark.sqlite_only

TYPED = "Skrivet under stoppet"
# A device locked out (at every username), for its admin's lift to be refused.
LOCKED_ADDRESS = "10.0.0.66"
# The typed text each form's free-text fields are given (beside its valid data).
FREE_TEXT: dict[str, dict[str, str]] = {
    "cases.identity": {"reason": TYPED},
    "cases.cancel": {"reason": TYPED},
    "cases.restore": {"reason": TYPED},
    "cases.move": {"reason": TYPED},
    "reporting.priority": {"reason": TYPED},
    "reporting.protocol": {"protocol": TYPED},
    "reporting.addendum": {"text": TYPED},
    "reporting.call": {"note": TYPED},
    "reporting.fax": {"conclusion": TYPED},
    "reporting.paper": {"conclusion": TYPED},
    "reporting.dispatch": {"note": TYPED},
    "catchup.ris_ids": {"ris_accession": "ACC123", "ris_exam_number": "U-1"},
    "catchup.waive": {"reason": TYPED},
    "blanks.reserve": {"count": "2", "batch_label": TYPED},
    "blanks.void": {"reason": TYPED},
    "incidents.declare": {"scenario": "integration", "notes": TYPED},
    "incidents.tick": {"note": TYPED},
    "incidents.note": {"note": TYPED},
    "admin.users": {"secret": "246813"},
    "admin.edit_user": {"secret": "246813"},
    "admin.site": {"config_toml": EXAMPLE_SITE.read_text(encoding="utf-8") + f"\n# {TYPED}\n"},
    "reporting.edit_template": {"phrases": f"Fynd: {TYPED}"},
    "auth.own_secret": {"current": DEFAULT_PIN, "new": "246813", "confirm": "246813"},
    "routines.reviewer_fax": {"fax-note": TYPED},
    "routines.reviewer_route": {"route-note": TYPED},
    "routines.reviewer_verbal": {"verbal-note": TYPED},
    "routines.admin_done": {"note": TYPED},
    "routines.admin_removed_from_ris": {"note": TYPED},
    "routines.transfer_attempt": {"note": TYPED},
}
# The world's reported case is offered no cancel: its open one is.
PATHS = {"cases.cancel": "/cases/{open_case_id}/cancel"}
# Forms not posted here, and why.
SKIPPED = {
    "routines.release_report": "answers with its PDF; a refused print record is a page of its own",
    "routines.release_report_check": "stores nothing: it draws the page offering the print",
    "blanks.attach": "a search that stores only its read; the world's blank is a referral blank",
    "routines.reviewer_forwarded": "the world's report is forwarded already: no form to draw",
    "cases.restore": "the world has no cancelled case: a test of its own below",
    "cases.detach_blank": "the world's code is joined to no case: a test of its own below",
    "cases.blank_read_same": "the world's code is joined to no case: refused before any write",
    "admin.users_many": "stores nothing: it draws the list's preview",
    "cases.cancel_notice": "the world has no cancelled case: refused before any write",
    "cases.restore_call": "the world has no case restored after a notice: refused before any write",
    "cases.reviewer_told": "the world has no cancelled case: refused before any write",
    "catchup.ris_pacs_cleaned": "the world has no cancelled case: refused before any write",
    "cases.images_sent": "the world's images are in PACS: the case page offers no such form",
    "reporting.second_look": "the world's report was read in PACS: the screen offers no such form",
}


BUSY = "busy"
# Each way a write is refused, and what the page must say of it (Swedish, and English).
SAYS = {
    READ_ONLY: (MESSAGE, EN[STORAGE_REFUSED][:40]),
    BUSY: (BUSY_MESSAGE, EN[DATABASE_BUSY][:40]),
}


@contextmanager
def _refusing(app: Flask, mode: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    refusing = database_busy(app, monkeypatch) if mode == BUSY else refusing_writes(app, mode)
    with refusing:
        yield


def _page(response: Any) -> str:
    return html.unescape(response.get_data(as_text=True))


def _typed(form: Form[Any], sent: dict[str, Any]) -> dict[str, str]:
    """What the user typed into the form (never a secret), which the page must show back."""
    names = (*form.echo, *(k for k, v in FREE_TEXT.get(form.endpoint, {}).items() if TYPED in v))
    return {name: sent[name] for name in names if isinstance(sent.get(name), str) and sent[name]}


def _problems(
    app: Flask,
    forms: tuple[Form[Any], ...],
    world: Any,
    mode: str,
    monkeypatch: pytest.MonkeyPatch,
) -> list[str]:
    clients = clients_for(app, {form.role for form in forms})
    problems = []
    for form in forms:
        if form.endpoint in SKIPPED:
            continue
        sent = {**form.base(world), **FREE_TEXT.get(form.endpoint, {})}
        path = fill_path(PATHS.get(form.endpoint, form.path), world)
        with _refusing(app, mode, monkeypatch):
            response = clients[form.role].post(path, data=sent)
        body = response.get_data(as_text=True)
        if response.status_code != 503:
            problems.append(f"{form.endpoint}: {response.status_code}")
            continue
        if SAYS[mode][0] not in _page(response):
            problems.append(f"{form.endpoint}: no message")
        typed = _typed(form, sent)
        # A form with nothing typed (ticks, buttons) may say it on a page of its own; one typed
        # into is drawn again: its own fields, which the page that only says it has none of.
        if typed and not any(f'name="{name}"' in body for name in form.fields):
            problems.append(f"{form.endpoint}: no form drawn again")
            continue
        problems += [
            f"{form.endpoint}: {n} lost" for n, v in typed.items() if escape(v) not in body
        ]
    return problems


@pytest.mark.parametrize("mode", [READ_ONLY, BUSY])
def test_every_form_refused_by_the_disk_is_drawn_again_with_its_input(
    app: Flask, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = _problems(app, FORMS, build_world(app), mode, monkeypatch)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("mode", [READ_ONLY, BUSY])
def test_every_routine_form_refused_by_the_disk_is_drawn_again_with_its_input(
    app: Flask, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = _problems(app, ROUTINE_FORMS, build_routines_world(app), mode, monkeypatch)
    assert not problems, "\n".join(problems)


# The confirm buttons: nothing typed to keep, the refusal said on a page (never a redirect).
BUTTONS_SKIPPED = {
    "drafts.put": "the drafts API, answered in JSON (test_storage_refused.py)",
    "auth.setup": "needs an empty user table",
    "incidents.select_current": "stores nothing in the database: the choice is the tablet's",
    "blanks.attach_confirm": "the world's blank is a referral blank: not found (404)",
    "admin.pin_slips": "the world holds no slips, so nothing is written (test_admin_users_bulk.py)",
}
# Buttons that answer a busy database in words of their own.
BUSY_BUTTONS_SKIPPED = {
    "admin.backup_now": "a failed backup, said on the admin screen (test_backup_now_database_busy)",
}
BUTTON_DATA = {
    "auth.language": {"lang": "en"},
    "admin.unlock_address_lock": {"address": LOCKED_ADDRESS},
}
# The language chosen is the tablet's at once (its cookie): the page after it is in English
# (SAYS holds both).


@pytest.mark.parametrize("mode", [READ_ONLY, BUSY])
def test_every_button_refused_by_the_disk_says_so_on_a_page(
    app: Flask, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world(app)
    Path(app.config["BACKUP_DIR"]).mkdir(parents=True, exist_ok=True)
    with app.app_context():
        db.session.add(
            FailedLogin(
                key=address_key(LOCKED_ADDRESS),
                last_failed_at=utcnow(),
                locked_until=utcnow() + timedelta(minutes=10),
            )
        )
        db.session.commit()
    rules = {r.endpoint: r for r in app.url_map.iter_rules() if r.endpoint in NOT_FORMS}
    problems = []
    skipped = {*BUTTONS_SKIPPED, *(BUSY_BUTTONS_SKIPPED if mode == BUSY else ())}
    for endpoint in sorted(set(NOT_FORMS) - skipped):
        allowed = EXPECTED[endpoint]
        # Logged in, so that logging out or choosing a language writes to the database.
        role = "admin" if allowed == PUBLIC or "admin" in allowed else sorted(allowed)[0]
        client = clients_for(app, {role})[role]
        with _refusing(app, mode, monkeypatch):
            path = concrete_path(rules[endpoint], world.params())
            response = client.post(path, data=BUTTON_DATA.get(endpoint, {}))
        page = _page(response)
        if response.status_code != 503 or not any(text in page for text in SAYS[mode]):
            problems.append(f"{endpoint}: {response.status_code}")
    assert not problems, "\n".join(problems)


def test_restore_refused_by_the_disk_keeps_its_reason(
    app: Flask, client: FlaskClient, auth: Any, case_id: int
) -> None:
    auth.login()
    assert (
        client.post(
            f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient"}
        ).status_code
        == 302
    )
    with refusing_writes(app, READ_ONLY):
        response = client.post(f"/cases/{case_id}/restore", data={"reason": TYPED})
    assert response.status_code == 503
    assert MESSAGE in _page(response)
    assert f"{TYPED}</textarea>" in response.get_data(as_text=True)


def test_a_blank_detach_refused_by_the_disk_keeps_its_reason(
    app: Flask, client: FlaskClient, auth: Any, case_id: int
) -> None:
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLU", "count": "1"})
    with app.app_context():
        code = db.session.scalar(select(ReservedCode.code).where(ReservedCode.doc_kind == "BLU"))
    attached = client.post(f"/blanks/{code}/attach/confirm", data={"case_id": str(case_id)})
    assert attached.status_code == 302
    with refusing_writes(app, READ_ONLY):
        response = client.post(f"/cases/{case_id}/blanks/{code}/detach", data={"reason": TYPED})
    assert response.status_code == 503
    assert MESSAGE in _page(response)
    assert f"{TYPED}</textarea>" in response.get_data(as_text=True)
    with app.app_context():
        used = db.session.scalar(select(ReservedCode.used_case_id).where(ReservedCode.code == code))
        assert used == case_id


def test_a_form_drawn_again_after_a_refusal_stores_nothing(app: Flask) -> None:
    """A disk back before the form is drawn again must not store what the page says was not."""
    with app.test_request_context("/incidents/new", method="POST"):
        start_redrawing()
        with pytest.raises(StorageUnavailable), write_transaction():
            pytest.fail("the write went ahead")


def test_a_refused_tick_says_so_once_and_not_on_the_next_page(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    auth.login()
    location = client.post("/incidents/new", data={"scenario": "integration"}).headers["Location"]
    incident = int(location.rsplit("/", 1)[-1])
    data = {"step_key": FIRST_STEP, "is_done": "1"}
    with refusing_writes(app, READ_ONLY):
        response = client.post(f"/incidents/{incident}/steps", data=data)
    assert response.status_code == 503
    # Said once; the view's own "could not be saved" of its redirect, not sent, stays unsaid.
    page = _page(response)
    assert page.count(MESSAGE) == 1
    assert "Steget kunde inte sparas" not in page
    page = _page(client.get(f"/incidents/{incident}"))
    assert "Steget kunde inte sparas" not in page
    assert MESSAGE not in page


def test_the_sweeps_lists_name_only_forms_and_buttons_that_exist(app: Flask) -> None:
    """A renamed route left in a skip list would hide its form from the sweep unnoticed."""
    fuzzed = {form.endpoint for form in (*FORMS, *ROUTINE_FORMS)}
    assert sorted(set(SKIPPED) - fuzzed) == []
    assert sorted({*FREE_TEXT, *PATHS} - fuzzed) == []
    assert sorted({*BUTTONS_SKIPPED, *BUSY_BUTTONS_SKIPPED} - set(NOT_FORMS)) == []


def test_a_refused_receipt_undo_keeps_its_reason_and_the_receipt(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    """On a case of its own, where the undo goes through once the disk is back."""
    case_id = make_case(client, auth)
    receive_reviewer_report(client, auth, case_code(app, case_id), forwarded=False)
    url = f"/routines/reviewer/cases/{case_id}/undo-receipt"
    data = {"undo-reason": TYPED}
    with refusing_writes(app, READ_ONLY):
        response = client.post(url, data=data)
    assert response.status_code == 503
    assert MESSAGE in _page(response)
    assert f"{TYPED}</textarea>" in response.get_data(as_text=True)
    assert [kind for kind, _n, _p in _entries(app)] == ["report_received"]
    assert client.post(url, data=data).status_code == 302
    assert [kind for kind, _n, _p in _entries(app)] == ["received_undone", "receipt_undone"]
