"""A cancellation the external reviewer was told of, then undone: the reviewer still believes
the exam is off. The restore form says so beside its submit; once restored, the case holds the
incident's close, listed on its page and the batch, until someone records that they told the
reviewer the exam is back on (the reviewer-told form, a second kind; audited). A reviewer never
told of the cancellation is asked nothing."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.closing import open_tasks
from webapp.models import AuditEvent, ReviewerLogEntry

from .catchup_support import close_incident, incident_ended
from .clock_support import clock_set_back
from .factories import incident_of
from .reviewer_support import _fax_to_the_reviewer
from .routines_support import make_case

TOLD_OF_CANCEL = "Extern granskare meddelades om makuleringen"
BACK_ON_UNTOLD = "vet inte att undersökningen görs ändå"
BACK_ON_TOLD = "Extern granskare meddelad att undersökningen görs ändå"


def _cancelled_with_the_reviewer(client: FlaskClient, auth, *, told: bool = True) -> int:
    case_id = make_case(client, auth)
    _fax_to_the_reviewer(client, auth, case_id)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"})
    if told:
        client.post(f"/cases/{case_id}/reviewer-told", data={"how": "Faxat om makuleringen"})
    return case_id


def _restore(client: FlaskClient, case_id: int) -> None:
    response = client.post(f"/cases/{case_id}/restore", data={"reason": "Fel ärende"})
    assert response.status_code == 302


def _told_back_on(client: FlaskClient, case_id: int, how: str = "Ringt koordinatorn") -> str:
    return client.post(
        f"/cases/{case_id}/reviewer-told",
        data={"how": how, "kind": "back_on"},
        follow_redirects=True,
    ).get_data(as_text=True)


def _entries(app: Flask, kind: str) -> list[ReviewerLogEntry]:
    with app.app_context():
        found = list(
            db.session.scalars(select(ReviewerLogEntry).where(ReviewerLogEntry.kind == kind))
        )
        db.session.expunge_all()
        return found


def test_the_restore_form_says_the_reviewer_was_told_of_the_cancellation(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    restore_box = page.split('id="restore"', 1)[1].split("</form>", 1)[0]
    note = restore_box.split('id="restore-reviewer"', 1)[1]
    assert TOLD_OF_CANCEL in note and "görs ändå" in note
    # Beside its submit: before the button, inside the form.
    assert note.index("görs ändå") < note.index('type="submit"')


def test_the_restore_form_says_nothing_of_a_reviewer_never_told(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth, told=False)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert 'id="restore-reviewer"' not in page


def test_a_restore_after_the_reviewer_was_told_holds_the_close_until_told_it_is_back_on(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    incident_id = incident_of(app, case_id)
    _restore(client, case_id)
    assert BACK_ON_UNTOLD in client.get(f"/cases/{case_id}").get_data(as_text=True)
    with app.app_context():
        assert "reviewer_back_on" in [t.kind for t in open_tasks(incident_id)]
    auth.login("secretary")
    batch = client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)
    entry = next(e for e in batch.split("<li>") if BACK_ON_UNTOLD in e)
    assert f'href="/cases/{case_id}#reviewer-told"' in entry
    page = close_incident(client, auth, incident_id)
    assert not incident_ended(app, incident_id)
    assert BACK_ON_UNTOLD in page
    auth.login("radiographer")
    page = _told_back_on(client, case_id)
    assert BACK_ON_TOLD in page and "Ringt koordinatorn" in page
    assert BACK_ON_UNTOLD not in page
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "reviewer_back_on_told")
        )
        assert event is not None and event.case_id == case_id
        assert "Ringt koordinatorn" in event.detail
        assert "reviewer_back_on" not in [t.kind for t in open_tasks(incident_id)]


def test_a_restore_the_reviewer_never_heard_of_asks_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth, told=False)
    incident_id = incident_of(app, case_id)
    _restore(client, case_id)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert BACK_ON_UNTOLD not in page and 'id="reviewer-told"' not in page
    _told_back_on(client, case_id)
    assert _entries(app, "back_on_told") == []
    with app.app_context():
        assert "reviewer_back_on" not in [t.kind for t in open_tasks(incident_id)]


def test_telling_of_the_cancellation_on_a_restored_case_records_nothing(
    app: Flask, client: FlaskClient, auth
) -> None:
    # A cancel's form sent from a page older than the restore: not read as "back on".
    case_id = _cancelled_with_the_reviewer(client, auth)
    _restore(client, case_id)
    page = client.post(
        f"/cases/{case_id}/reviewer-told", data={"how": "Faxat"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Inget är loggat" in page
    assert len(_entries(app, "cancel_told")) == 1 and _entries(app, "back_on_told") == []


def test_a_double_tap_records_the_reviewer_told_back_on_once(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    _restore(client, case_id)
    _told_back_on(client, case_id)
    page = _told_back_on(client, case_id)
    assert "redan meddelad" in page
    assert len(_entries(app, "back_on_told")) == 1


def test_the_reviewer_told_back_on_under_a_clock_set_back_since_the_restore_counts(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    incident_id = incident_of(app, case_id)
    _restore(client, case_id)
    with clock_set_back(1):
        page = _told_back_on(client, case_id)
    assert BACK_ON_UNTOLD not in page
    with app.app_context():
        restored = db.session.scalar(
            select(AuditEvent.at).where(AuditEvent.action == "case_restore")
        )
        assert "reviewer_back_on" not in [t.kind for t in open_tasks(incident_id)]
    (back_on,) = _entries(app, "back_on_told")
    assert restored is not None and back_on.logged_at >= restored


def test_a_case_cancelled_again_after_being_back_on_asks_the_reviewer_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _cancelled_with_the_reviewer(client, auth)
    _restore(client, case_id)
    _told_back_on(client, case_id)
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"})
    client.post(f"/cases/{case_id}/reviewer-told", data={"how": "Faxat igen"})
    _restore(client, case_id)
    assert BACK_ON_UNTOLD in client.get(f"/cases/{case_id}").get_data(as_text=True)
