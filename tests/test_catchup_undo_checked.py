"""Undoing a step of a checked case takes a second tap: it removes the colleague's check."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, CatchupTick

from .catchup_support import tick_all
from .catchup_world_support import world as world  # the fixture
from .factories import hidden_value

CHECKER = "Sten Sekreterare"


@pytest.fixture
def checked(app: Flask, client: FlaskClient, auth, user_factory, world) -> int:
    """A case keyed by test-secretary and checked by sek2; logged in as test-secretary again."""
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    user_factory(username="sek2", role="secretary", display_name=CHECKER)
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{case_id}/verify")
    auth.logout()
    auth.login("secretary")
    with app.app_context():
        assert db.session.get(Case, case_id).status == "closed"
    return case_id


def _undo(client: FlaskClient, case_id: int, **extra: str):
    data = {"step": "booked", "is_done": "0", **extra}
    return client.post(f"/catchup/cases/{case_id}/steps", data=data, follow_redirects=True)


def _ticks(app: Flask, case_id: int) -> int:
    with app.app_context():
        query = select(CatchupTick.id).where(CatchupTick.case_id == case_id)
        return len(db.session.scalars(query).all())


def test_one_tap_on_a_step_of_a_checked_case_is_refused_and_keeps_the_check(
    app: Flask, client: FlaskClient, checked: int
) -> None:
    before = _ticks(app, checked)
    page = _undo(client, checked).get_data(as_text=True)
    assert f"Ärendet är kontrollerat av {CHECKER}." in page
    assert "bekräfta att steget ska ångras" in page
    assert _ticks(app, checked) == before
    with app.app_context():
        case = db.session.get(Case, checked)
        assert (case.status, case.catchup.verified_by.display_name) == ("closed", CHECKER)


def test_the_confirmed_undo_removes_the_check_and_is_audited(
    app: Flask, client: FlaskClient, checked: int
) -> None:
    _undo(client, checked, confirm_uncheck="1")
    with app.app_context():
        case = db.session.get(Case, checked)
        assert (case.status, case.catchup.verified_at) == ("report_definitive", None)
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "catchup_step", AuditEvent.case_id == checked)
            .order_by(AuditEvent.id.desc())
        ).first()
        # The steps done on the booking are undone with it (step_rules.undone_with).
        assert event.detail == (
            "Bokad i RIS: ångrad (även Undersökningen klarmarkerad i RIS, Bilderna matchade i "
            "PACS, Utlåtandet inlagt i RIS, Lagd på radiologens korr-lista)"
        )


def test_a_ticked_step_of_a_checked_case_asks_before_it_is_undone(
    client: FlaskClient, checked: int
) -> None:
    page = " ".join(client.get(f"/catchup/cases/{checked}").get_data(as_text=True).split())
    assert f"Kontrollen av {CHECKER} tas bort och måste göras om." in page
    assert 'name="confirm_uncheck" value="1"' in page
    # The step is behind the second tap only; no form undoes it in one.
    assert 'name="is_done" value="0"' in page
    assert page.count('name="is_done" value="0"') == page.count('name="confirm_uncheck"')


def test_undoing_a_step_of_a_case_not_yet_checked_takes_one_tap(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    # The last step: undoing the booking would ask first for the steps done on it.
    data = {"step": "correction_list", "is_done": "0"}
    client.post(f"/catchup/cases/{case_id}/steps", data=data)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "report_definitive"
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "confirm_uncheck" not in page


def test_the_refusal_names_the_checker_in_english(client: FlaskClient, checked: int) -> None:
    client.post("/language", data={"lang": "en", "next": "/"})
    page = _undo(client, checked).get_data(as_text=True)
    assert f"The case has been checked by {CHECKER}." in page


def test_other_ris_numbers_on_a_checked_case_remove_the_check(
    app: Flask, client: FlaskClient, checked: int
) -> None:
    """The check vouched for the RIS exam the numbers name: another one is unchecked, and the
    case is outstanding until someone checks it again."""
    response = client.post(
        f"/catchup/cases/{checked}/ris",
        data={"ris_accession": "EXS99990001", "ris_exam_number": "U-1"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert f"RIS-numren har ändrats efter kontrollen av {CHECKER}" in page
    with app.app_context():
        case = db.session.get(Case, checked)
        assert (case.status, case.catchup.verified_at) == ("keyed_in_ris", None)
        assert case.catchup.reconciled_at is None
        event = db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "ris_ids", AuditEvent.case_id == checked)
            .order_by(AuditEvent.id.desc())
        ).first()
        assert f"kontrollen av {CHECKER} borttagen" in event.detail


def test_the_same_ris_numbers_saved_again_keep_the_check(
    app: Flask, client: FlaskClient, checked: int
) -> None:
    with app.app_context():
        accession = db.session.get(Case, checked).catchup.ris_accession
    client.post(f"/catchup/cases/{checked}/ris", data={"ris_accession": accession})
    with app.app_context():
        case = db.session.get(Case, checked)
        assert (case.status, case.catchup.verified_by.display_name) == ("closed", CHECKER)


def test_whoever_changed_the_ris_numbers_does_not_check_them(
    app: Flask, client: FlaskClient, auth, checked: int
) -> None:
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{checked}/ris", data={"ris_accession": "EXS99990002"})
    page = client.post(f"/catchup/cases/{checked}/verify", follow_redirects=True)
    assert "Kontrollen ska göras av någon annan än den som registrerade" in page.get_data(
        as_text=True
    )
    with app.app_context():
        assert db.session.get(Case, checked).status == "keyed_in_ris"
    auth.logout()
    auth.login("secretary", username="sek3")
    client.post(f"/catchup/cases/{checked}/verify")
    with app.app_context():
        assert db.session.get(Case, checked).status == "closed"


def test_a_second_check_is_refused_and_the_first_stands(
    app: Flask, client: FlaskClient, auth, checked: int
) -> None:
    auth.logout()
    auth.login("secretary", username="sek3")
    page = client.post(f"/catchup/cases/{checked}/verify", follow_redirects=True)
    assert "Ärendet är redan kontrollerat." in page.get_data(as_text=True)
    with app.app_context():
        case = db.session.get(Case, checked)
        assert (case.status, case.catchup.verified_by.display_name) == ("closed", CHECKER)
        checks = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "catchup_verify", AuditEvent.case_id == checked
            )
        ).all()
        assert len(checks) == 1
    # The refusal is in the user's language.
    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.post(f"/catchup/cases/{checked}/verify", follow_redirects=True)
    assert "The case has already been checked." in page.get_data(as_text=True)
    page = client.post(
        f"/catchup/cases/{checked}/steps",
        data={"step": "nope", "is_done": "1"},
        follow_redirects=True,
    )
    assert "Okänt steg." not in page.get_data(as_text=True)


def test_a_check_from_a_page_showing_other_ris_numbers_is_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    """The checker looked RIS up by the numbers her page showed: a colleague's numbers saved
    meanwhile name another exam, which nobody has checked."""
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    seen = {
        name: hidden_value(page[page.index("/verify") :], name)
        for name in ("shown", "accession_shown", "exam_number_shown")
    }
    assert seen["accession_shown"]
    auth.logout()
    auth.login("secretary")
    client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS99990003"})
    auth.logout()
    auth.login("secretary", username="sek2")
    response = client.post(f"/catchup/cases/{case_id}/verify", data=seen, follow_redirects=True)
    assert "RIS-numren har ändrats sedan sidan öppnades" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "keyed_in_ris"
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    seen["accession_shown"] = hidden_value(page[page.index("/verify") :], "accession_shown")
    assert seen["accession_shown"] == "EXS99990003"
    client.post(f"/catchup/cases/{case_id}/verify", data=seen)
    with app.app_context():
        assert db.session.get(Case, case_id).status == "closed"
