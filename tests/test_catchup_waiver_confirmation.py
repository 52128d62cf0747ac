"""Four eyes on a waiver: it stands once a second user confirms it, and holds the close until then.

The services first (one user's waiver leaves the case unreconciled; its author cannot confirm
it; a lift clears the wait; a confirmation from an older page is refused; four eyes off keeps
the waiver standing at once), then the pages (who may confirm, what the case page, the batch
and the close say).
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.catchup.services import CatchupError
from webapp.catchup.waiving import (
    CHANGED_WAIVER,
    OWN_WAIVER,
    STALE_CONFIRMATION,
    WAIVER_STANDS,
    confirm_waiver,
    lift_waiver,
    waive_case,
)
from webapp.extensions import db
from webapp.models import AuditEvent, Case, Site, User
from webapp.sites import save_site_config

from .catchup_support import close_incident, incident_ended, reconcile_world
from .catchup_world_support import _record, _shown, _status
from .catchup_world_support import world as world  # the fixture
from .factories import hidden_value, referral_data

REASON = "Registrerad direkt i RIS av röntgen"
SECOND = "Sixten Andersson"
PENDING = "Undantag väntar på bekräftelse"


@pytest.fixture
def sek2(user_factory) -> Any:
    """A second secretary, named apart from the first (who waives)."""
    return user_factory(role="secretary", username="sek2", display_name=SECOND)


def _user(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _waive(app: Flask, case_id: int, *, four_eyes: bool = True, by: str = "test-secretary"):
    with app.app_context():
        waive_case(case_id=case_id, user=_user(by), reason=REASON, four_eyes=four_eyes)


def _confirm(app: Flask, case_id: int, by: str, **kw: Any) -> None:
    with app.app_context():
        confirm_waiver(case_id=case_id, user=_user(by), four_eyes=kw.pop("four_eyes", True), **kw)


def _audited(app: Flask, action: str, case_id: int) -> list[AuditEvent]:
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action, AuditEvent.case_id == case_id)
        ).all()
        db.session.expunge_all()
        return list(events)


def _four_eyes_off(app: Flask) -> None:
    with app.app_context():
        site = db.session.get(Site, 1)
        toml = site.config_toml.replace("four_eyes = true", "four_eyes = false")
        save_site_config(site.id, toml, None)


# --- services ---------------------------------------------------------------------------------


def test_with_four_eyes_a_waiver_leaves_the_case_unreconciled(app: Flask, world, sek2) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    record = _record(app, case_id)
    assert record.waive_reason == REASON and record.waived_at is not None
    assert record.reconciled_at is None and record.waiver_confirmed_at is None
    assert _status(app, case_id) == "report_preliminary"


def test_a_second_user_confirms_the_waiver_and_the_case_is_reconciled(
    app: Flask, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    _confirm(app, case_id, "sek2")
    record = _record(app, case_id)
    assert record.reconciled_at is not None and record.waiver_confirmed_at is not None
    assert record.waiver_confirmed_by_id == sek2.id
    assert _status(app, case_id) == "closed"
    [event] = _audited(app, "catchup_waive_confirm", case_id)
    assert event.user_id == sek2.id and event.detail == REASON


def test_the_waivers_author_cannot_confirm_it(app: Flask, world) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    with pytest.raises(CatchupError, match="Du gjorde undantaget själv"):
        _confirm(app, case_id, "test-secretary")
    assert _record(app, case_id).reconciled_at is None
    assert _status(app, case_id) == "report_preliminary"
    assert _audited(app, "catchup_waive_confirm", case_id) == []


def test_a_waiver_already_confirmed_is_not_confirmed_again(app: Flask, world, sek2) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    _confirm(app, case_id, "sek2")
    with pytest.raises(CatchupError, match=WAIVER_STANDS):
        _confirm(app, case_id, "sek2")
    assert len(_audited(app, "catchup_waive_confirm", case_id)) == 1


def test_without_four_eyes_a_waiver_stands_at_once(app: Flask, world) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id, four_eyes=False)
    record = _record(app, case_id)
    assert record.reconciled_at is not None and record.waiver_confirmed_at is None
    assert _status(app, case_id) == "closed"


def test_four_eyes_turned_off_after_the_waiver_lets_its_author_confirm_it(
    app: Flask, world
) -> None:
    """As with the check of a keyed case: the one secretary then closes it."""
    case_id = world["ids"][1]
    _waive(app, case_id)
    _confirm(app, case_id, "test-secretary", four_eyes=False)
    assert _status(app, case_id) == "closed"


def test_lifting_a_waiver_that_waits_clears_the_wait(app: Flask, world, sek2) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    with app.app_context():
        lift_waiver(case_id=case_id, user=_user("sek2"), four_eyes=True)
    record = _record(app, case_id)
    assert record.waived_at is None and record.waived_by_id is None
    assert record.reconciled_at is None and record.waiver_confirmed_at is None
    assert _status(app, case_id) == "report_preliminary"
    with pytest.raises(CatchupError, match=r"Ärendet är inte undantaget\."):
        _confirm(app, case_id, "sek2")


def test_a_confirmed_waiver_lifted_leaves_no_confirmation_for_the_next_waiver(
    app: Flask, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    _confirm(app, case_id, "sek2")
    with app.app_context():
        lift_waiver(case_id=case_id, user=_user("sek2"), four_eyes=True)
    assert _record(app, case_id).waiver_confirmed_by_id is None
    # Waived again, the new waiver waits for a confirmation of its own.
    _waive(app, case_id)
    record = _record(app, case_id)
    assert record.reconciled_at is None and record.waiver_confirmed_at is None
    assert _status(app, case_id) == "report_preliminary"


def test_a_confirmation_from_a_page_shown_before_the_case_changed_is_refused(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    """The waiver was judged against the case as the page showed it."""
    case_id = world["ids"][0]
    _waive(app, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    form = page[page.index("/waive/confirm") :]
    shown, stamp = hidden_value(form, "shown"), hidden_value(form, "waived_shown")
    assert shown and stamp
    # The referral is edited meanwhile (an edit a waiver stands for: it is not lifted).
    auth.logout()
    auth.login("radiographer")
    edit = referral_data(key_suffix="e", clinical_question="Blödning? Kompletterad.")
    edit |= _shown(app, case_id, "referral")
    assert client.post(f"/cases/{case_id}/referral", data=edit).status_code == 302
    assert _record(app, case_id).waived_at is not None
    with pytest.raises(CatchupError, match=r"Undantaget är inte bekräftat"):
        _confirm(app, case_id, "sek2", shown=shown, waived_shown=stamp)
    assert _record(app, case_id).reconciled_at is None
    assert STALE_CONFIRMATION.startswith("Ärendet har ändrats sedan sidan öppnades")


def test_a_waiver_lifted_and_made_again_is_not_confirmed_from_the_older_page(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    _waive(app, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    form = page[page.index("/waive/confirm") :]
    shown, stamp = hidden_value(form, "shown"), hidden_value(form, "waived_shown")
    with app.app_context():
        lift_waiver(case_id=case_id, user=_user("test-secretary"), four_eyes=True)
    _waive(app, case_id)
    with pytest.raises(CatchupError) as refused:
        _confirm(app, case_id, "sek2", shown=shown, waived_shown=stamp)
    assert str(refused.value) == CHANGED_WAIVER
    assert _record(app, case_id).reconciled_at is None
    # From the page as it is now, the waiver is confirmed.
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    form = page[page.index("/waive/confirm") :]
    _confirm(
        app,
        case_id,
        "sek2",
        shown=hidden_value(form, "shown"),
        waived_shown=hidden_value(form, "waived_shown"),
    )
    assert _status(app, case_id) == "closed"


def test_a_report_signed_lifts_a_waiver_that_waits(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    """The signed report reaches RIS from here: no waiver, and no wait, is left on the case."""
    from .factories import report_data

    case_id = world["ids"][1]
    _waive(app, case_id)
    auth.logout()
    auth.login("radiologist")
    signed = report_data("definitive", "w" * 20) | _shown(app, case_id, "report")
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    record = _record(app, case_id)
    assert record.waived_at is None and record.reconciled_at is None
    assert _status(app, case_id) == "report_definitive"


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "allowed"), [("radiographer", False), ("radiologist", False),
                                               ("secretary", True), ("admin", True)])  # fmt: skip
def test_only_the_roles_that_may_waive_may_confirm(
    app: Flask, client: FlaskClient, auth, world, role: str, allowed: bool
) -> None:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    auth.logout()
    auth.login(role, username=f"other-{role}")
    response = client.post(f"/catchup/cases/{case_id}/waive/confirm")
    assert response.status_code == (302 if allowed else 403)
    assert (_status(app, case_id) == "closed") is allowed


def test_the_catchup_page_says_the_waiver_waits_and_offers_a_colleague_to_confirm_it(
    client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "väntar på att någon annan bekräftar det" in page  # the waiver's flash
    assert PENDING in page and REASON in page
    # Its author is told a colleague confirms it, and is offered no button.
    assert "Du gjorde undantaget själv: en kollega bekräftar det." in page
    assert "/waive/confirm" not in page
    auth.logout()
    auth.login("secretary", username="sek2")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert PENDING in page and "Bekräfta undantaget" in page and "/waive/confirm" in page
    # No second waiver is offered on a case already waived.
    assert f'action="/catchup/cases/{case_id}/waive"' not in page


def test_the_author_confirming_by_hand_is_told_why_not(
    app: Flask, client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    response = client.post(f"/catchup/cases/{case_id}/waive/confirm", follow_redirects=True)
    assert OWN_WAIVER in response.get_data(as_text=True)
    assert _record(app, case_id).reconciled_at is None


def test_a_confirmed_waiver_shows_who_confirmed_it_and_when(
    client: FlaskClient, auth, world, sek2
) -> None:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    auth.logout()
    auth.login("secretary", username="sek2")
    response = client.post(f"/catchup/cases/{case_id}/waive/confirm", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Undantaget är bekräftat." in page
    assert "Undantaget bekräftat" in page and SECOND in page and PENDING not in page
    # Every screen of the case names who confirmed it, in the patient header.
    auth.logout()
    auth.login("radiographer")
    case_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Bekräftat" in case_page and SECOND in case_page


def test_the_case_page_of_every_role_says_the_waiver_waits(
    client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    auth.logout()
    auth.login("radiographer")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert REASON in page and PENDING in page


def test_a_waiver_that_waits_is_a_task_on_the_batch_page_linking_to_the_case(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][1]
    client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    page = client.get(f"/catchup/incidents/{world['incident_id']}").get_data(as_text=True)
    tasks = page[page.index('id="open-tasks"') :]
    tasks = tasks[: tasks.index("</ul>")]
    assert f'href="/catchup/cases/{case_id}#waiver"' in tasks
    assert world["codes"][1] in tasks and PENDING in tasks
    # Not reconciled, and not listed a second time among the cases to key.
    assert "<strong>0</strong> av 2 ärenden avstämda" in " ".join(page.split())
    outstanding = page[page.index('class="outstanding"') : page.index('id="open-tasks"')]
    assert world["codes"][1] not in outstanding and world["codes"][0] in outstanding


def test_a_waiver_that_waits_holds_the_close_until_a_second_user_confirms_it(
    app: Flask, client: FlaskClient, auth, world, sek2
) -> None:
    first, second = world["ids"]
    reconcile_world(client, auth, world)  # the second waived and confirmed
    # The waiver is lifted and made again by one secretary: nobody has confirmed it.
    auth.login("secretary")
    client.post(f"/catchup/cases/{second}/waive/lift")
    client.post(f"/catchup/cases/{second}/waive", data={"reason": REASON})
    page = close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert not incident_ended(app, world["incident_id"])
    assert PENDING in page and world["codes"][1] in page
    assert "Undantag ska vara bekräftade av en andra användare." in page
    auth.logout()
    auth.login("secretary", username="sek2")
    client.post(f"/catchup/cases/{second}/waive/confirm")
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    assert _status(app, first) == "closed"


def test_without_four_eyes_the_page_waives_at_once_and_offers_no_confirmation(
    app: Flask, client: FlaskClient, world
) -> None:
    _four_eyes_off(app)
    case_id = world["ids"][1]
    response = client.post(f"/catchup/cases/{case_id}/waive", data={"reason": REASON})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ärendet är undantaget." in page
    assert PENDING not in page and "/waive/confirm" not in page
    assert _status(app, case_id) == "closed"
    with app.app_context():
        assert db.session.get(Case, case_id).catchup.waiver_confirmed_at is None


def test_the_board_marks_a_case_whose_waiver_waits_in_the_same_one_query(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    from .statements import sent_statements

    waited, other = world["ids"]
    client.post(f"/catchup/cases/{waited}/waive", data={"reason": REASON})
    auth.logout()
    auth.login("radiographer")
    with sent_statements(app) as sent:
        page = client.get("/board/rows").get_data(as_text=True)
    rows = {r.split('href="/cases/', 1)[1].split('"', 1)[0]: r for r in page.split("<li")[1:]}
    assert f'<span class="status waiver-pending">{PENDING}</span>' in rows[str(waited)]
    assert PENDING not in rows[str(other)]
    assert sum("JOIN referral" in s and "LIMIT" in s for s in sent) == 1
