"""A case whose images were released, moved between a real outage and a drill.

A release in a real outage is a real disc or transfer in a real recipient's hands, to be written
in the case's referral notes in RIS. Taken along into a drill it left the real outage's
catch-up and close, and became a drill's, which nothing keys into RIS.
"""

from __future__ import annotations

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.incidents.ris_tasks import RELEASE_NOTE_TASK, ris_tasks
from webapp.models import AuditEvent, ImageRelease
from webapp.release_in_ris import not_in_ris

from .catchup_support import book
from .factories import declare_incident, exam_data, incident_of, referral_data
from .test_cases_cancel_released import URGENT_DISC
from .test_cases_move import move_form
from .test_double_tap_sweep import form_fields


def _released_case(client: FlaskClient, auth: Any, *, in_drill: bool) -> tuple[int, int, int]:
    """A drill and a real outage (RIS down) open; a case with its exam and an urgent-care disc
    released, in the drill or the real one: (drill, real, case)."""
    auth.login("radiographer")
    drill = declare_incident(client, drill=True)
    real = declare_incident(client, "om_ris")
    if in_drill:
        assert client.post(f"/incidents/{drill}/select").status_code == 302
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    case_id = int(location.rsplit("/", 1)[-1])
    response = client.post(f"/routines/releases/cases/{case_id}", data=URGENT_DISC)
    assert response.status_code == 302, response.get_data(as_text=True)
    return drill, real, case_id


def _release_filed_under(app: Flask, case_id: int) -> set[int | None]:
    with app.app_context():
        return set(
            db.session.scalars(
                select(ImageRelease.incident_id).where(ImageRelease.case_id == case_id)
            )
        )


def test_a_case_with_real_releases_is_not_moved_into_a_drill(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    drill, real, case_id = _released_case(client, auth, in_drill=False)
    data = move_form(client, case_id, drill, "Övningspatient registrerad i fel driftstopp")
    response = client.post(f"/cases/{case_id}/move", data=data)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 409
    # Said beside the choice of outage, with why and what to do instead; the reason kept.
    error = page.split('id="move-target-error"', 1)[1][:800]
    assert "Bilderna är utlämnade" in error and "skarpt driftstopp" in error
    assert "Övningspatient registrerad i fel driftstopp" in page
    assert incident_of(app, case_id) == real
    assert _release_filed_under(app, case_id) == {real}
    with app.app_context():
        # Still the real outage's to write in RIS, holding its close until it is.
        assert [n.case_id for n in not_in_ris(real)] == [case_id]
        assert not_in_ris(drill) == []
        assert [t.kind for t in ris_tasks(real)] == [RELEASE_NOTE_TASK]
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "case_move" not in actions


def test_a_case_with_real_releases_still_moves_to_another_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, real, case_id = _released_case(client, auth, in_drill=False)
    other = declare_incident(client, "integration")
    data = move_form(client, case_id, other, "Fel driftstopp")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    assert incident_of(app, case_id) == other
    assert _release_filed_under(app, case_id) == {other}
    with app.app_context():
        assert [n.case_id for n in not_in_ris(other)] == [case_id]
        assert not_in_ris(real) == []


def test_a_drill_case_with_its_releases_moves_into_the_real_outage_and_its_catchup(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # A real patient taken into the drill: the disc handed over was real, so its note is the
    # real outage's to write in RIS, and holds that outage's close.
    drill, real, case_id = _released_case(client, auth, in_drill=True)
    data = move_form(client, case_id, real, "Riktig patient, togs emot i övningen")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    assert _release_filed_under(app, case_id) == {real}
    with app.app_context():
        assert [n.case_id for n in not_in_ris(real)] == [case_id]
        assert not_in_ris(drill) == []
        assert [t.kind for t in ris_tasks(real)] == [RELEASE_NOTE_TASK]
        assert ris_tasks(drill) == []
    auth.login("secretary")
    page = client.get(f"/catchup/incidents/{real}").get_data(as_text=True)
    assert 'id="release-notes-in-ris"' in page


def test_a_drill_case_with_drill_releases_still_moves_to_another_drill(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    _drill, _real, case_id = _released_case(client, auth, in_drill=True)
    other = declare_incident(client, drill=True)
    data = move_form(client, case_id, other, "Fel övning")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    assert _release_filed_under(app, case_id) == {other}


def test_the_move_form_says_beforehand_that_a_released_case_stays_in_real_outages(
    client: FlaskClient, auth: Any
) -> None:
    _drill, _real, case_id = _released_case(client, auth, in_drill=False)
    page = html.unescape(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert 'id="move-released"' in page
    assert "det kan flyttas till ett annat skarpt driftstopp, inte till en övning" in page


def test_a_drill_case_with_releases_is_not_told_it_stays_in_real_outages(
    client: FlaskClient, auth: Any
) -> None:
    _drill, _real, case_id = _released_case(client, auth, in_drill=True)
    assert 'id="move-released"' not in client.get(f"/cases/{case_id}").get_data(as_text=True)


def test_a_drill_release_written_in_ris_at_once_is_due_once_moved_into_the_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # In a drill whose scenario has RIS working, a release of a case booked in the drill's
    # catch-up is "written in RIS at once": not due. Nothing of a drill reaches RIS, so moved
    # into a real outage with RIS down its note is to be written there, holding the close.
    auth.login("radiographer")
    drill = declare_incident(client, "pacs", drill=True)
    real = declare_incident(client, "om_ris")
    assert client.post(f"/incidents/{drill}/select").status_code == 302
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    case_id = int(location.rsplit("/", 1)[-1])
    auth.login("secretary")
    assert book(client, case_id).status_code == 302
    auth.login("radiographer")
    response = client.post(f"/routines/releases/cases/{case_id}", data=URGENT_DISC)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        release = db.session.scalars(select(ImageRelease)).one()
        release_id = release.id
        assert release.incident_id == drill and not release.ris_note_due
    data = move_form(client, case_id, real, "Riktig patient, togs emot i övningen")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    with app.app_context():
        release = db.session.get(ImageRelease, release_id)
        assert release.incident_id == real and release.ris_note_due
        assert [n.case_id for n in not_in_ris(real)] == [case_id]
        assert [t.kind for t in ris_tasks(real)] == [RELEASE_NOTE_TASK]
        detail = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "case_move")
        ).one()
        assert f"remissanteckning för utlämnande #{release_id} ska föras in i RIS" in detail
    # Its tick is offered and taken now (refused as not due before), and then done.
    auth.login("secretary")
    assert (
        client.post(
            f"/catchup/releases/{release_id}/ris-note",
            data=form_fields(
                client.get(f"/catchup/cases/{case_id}").get_data(as_text=True),
                f"/catchup/releases/{release_id}/ris-note",
            ),
        ).status_code
        == 302
    )
    with app.app_context():
        assert not_in_ris(real) == []


def test_a_drill_release_recorded_in_ris_is_due_again_once_moved_into_the_real_outage(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    # The drill's tick "Remissanteckning införd i RIS" was practice: nothing of a drill is
    # keyed into RIS, so in the real outage the note is still to be written there.
    _drill, real, case_id = _released_case(client, auth, in_drill=True)
    with app.app_context():
        release_id = db.session.scalars(select(ImageRelease.id)).one()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    url = f"/catchup/releases/{release_id}/ris-note"
    assert client.post(url, data=form_fields(page, url)).status_code == 302
    auth.login("radiographer")
    data = move_form(client, case_id, real, "Riktig patient, togs emot i övningen")
    assert client.post(f"/cases/{case_id}/move", data=data).status_code == 302
    with app.app_context():
        assert [n.case_id for n in not_in_ris(real)] == [case_id]
        assert [t.kind for t in ris_tasks(real)] == [RELEASE_NOTE_TASK]
