"""A release on a case cancelled before cancelling a released case was refused (older data).

The release is still to be written in the referral notes in RIS, while the case itself is never
keyed as an exam: the catch-up lists the note, takes its tick and holds the close over it, and
refuses the case's steps.
"""

from __future__ import annotations

import html

from flask import Flask
from flask.testing import FlaskClient

from webapp.extensions import db
from webapp.models import Case, utcnow
from webapp.release_in_ris import not_in_ris

from .factories import case_code, incident_of
from .routines_support import make_case
from .test_double_tap_sweep import form_fields
from .test_release_note_in_ris import TASK, TICK_LABEL, _close, _released, _tick


def _cancelled_after_release(app: Flask, client: FlaskClient, auth) -> tuple[int, int, int]:
    incident_id, case_id, release_id = _released(client, auth)
    with app.app_context():
        case = db.session.get(Case, case_id)
        case.status = "cancelled"
        case.cancelled_at = utcnow()
        case.cancelled_reason = "Dubblett"
        db.session.commit()
    return incident_id, case_id, release_id


def test_the_release_note_of_a_case_cancelled_earlier_is_still_to_write_in_ris(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, release_id = _cancelled_after_release(app, client, auth)
    with app.app_context():
        assert [n.release_id for n in not_in_ris(incident_id)] == [release_id]
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    tasks = batch.split('id="open-tasks"', 1)[1].split("</ul>", 1)[0]
    assert case_code(app, case_id) in tasks and TASK in tasks
    page = html.unescape(client.get(f"/catchup/cases/{case_id}").get_data(as_text=True))
    section = page.split('id="release-notes"', 1)[1].split("</section>", 1)[0]
    assert TICK_LABEL in section and "disabled" not in section


def test_a_case_cancelled_earlier_is_not_keyed_but_its_release_note_is_ticked(
    app: Flask, client: FlaskClient, auth
) -> None:
    incident_id, case_id, release_id = _cancelled_after_release(app, client, auth)
    step = client.post(f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"})
    assert "Ärendet är makulerat" in html.unescape(step.get_data(as_text=True))
    page = _close(client, auth, incident_id)
    assert case_code(app, case_id) in page.split('id="close-error"', 1)[1].split("</div>", 1)[0]
    assert _tick(client, case_id, release_id).status_code == 302
    with app.app_context():
        assert not_in_ris(incident_id) == []


def test_its_clean_up_in_ris_pacs_says_the_images_were_released(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Cleaned up in RIS first, the order the note is to be written in would be gone.
    incident_id, case_id, _release_id = _cancelled_after_release(app, client, auth)
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    item = batch.split(f'id="clean-up-{case_id}"', 1)[1].split("</li>", 1)[0]
    assert "Bilderna är utlämnade från ärendet" in item
    assert "innan beställningen makuleras" in item


def test_a_cancelled_case_never_released_is_cleaned_up_as_before(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, scenario="om_ris")
    auth.login("radiographer")
    url = f"/cases/{case_id}"
    cancel = form_fields(client.get(url).get_data(as_text=True), url + "/cancel")
    data = cancel | {"reason": "Dubblett", "confirm_ris_pacs": "y"}
    assert client.post(url + "/cancel", data=data).status_code == 302
    auth.login("secretary")
    incident_id = incident_of(app, case_id)
    batch = html.unescape(client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True))
    item = batch.split(f'id="clean-up-{case_id}"', 1)[1].split("</li>", 1)[0]
    assert "utlämnade" not in item
