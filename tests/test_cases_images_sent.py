"""Images sent to PACS afterwards: recorded from the case page, as a new version of the exam.

During a PACS or total outage the images stay on the modality, which deletes old images after
some days; the documentation says "not sent" until someone records that they went to PACS.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import AuditEvent, CatchupTick, ExamRecord, RecordVersion, User

from .catchup_support import save_accession
from .factories import exam_data, local_minute, referral_data

ONLY_ON_MODALITY = "Bilder finns bara på modaliteten"


def _case_not_sent(client: FlaskClient, auth, pacs_status: str = "no") -> int:
    """A radiographer's case whose exam says the images are not in PACS; still logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    exam = exam_data(pacs_status=pacs_status, pacs_sent_at="")
    assert client.post(url + "/exam", data=exam).status_code == 302
    return int(url.rsplit("/", 1)[-1])


def _send(client: FlaskClient, case_id: int, sent_at: str = "", key: str = "p" * 20):
    data = {"form_key": key, "sent_at": sent_at or local_minute()}
    return client.post(f"/cases/{case_id}/pacs", data=data)


def _exam(app: Flask, case_id: int) -> ExamRecord:
    with app.app_context():
        exam = db.session.scalar(select(ExamRecord).where(ExamRecord.case_id == case_id))
        assert exam is not None
        db.session.expunge(exam)
        return exam


def test_images_sent_afterwards_are_recorded_as_a_new_version_of_the_exam(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_not_sent(client, auth)
    response = _send(client, case_id, "2026-01-15T13:05")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case_id}")
    exam = _exam(app, case_id)
    assert exam.pacs_status == "yes"
    assert exam.pacs_sent_at is not None and exam.version == 2
    with app.app_context():
        version = db.session.scalar(
            select(RecordVersion).where(
                RecordVersion.entity == "exam", RecordVersion.entity_id == exam.id
            )
        )
        assert version is not None
        assert set(version.changes) == {"pacs_status", "pacs_sent_at"}
        assert version.data["pacs_status"] == "no"  # the earlier version, kept whole
        assert version.data["modality_temp_id"] == "TMP-CT1-0042"
        user = db.session.scalar(select(User).where(User.username == "test-radiographer"))
        assert user is not None and version.changed_by_id == user.id
        assert "PACS" in version.reason
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "exam_pacs_sent")
        ).all()
        assert [(e.case_id, e.user_id) for e in events] == [(case_id, user.id)]


def test_the_case_page_says_the_images_are_only_on_the_modality_until_recorded(
    client: FlaskClient, auth
) -> None:
    case_id = _case_not_sent(client, auth, "failed")
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert ONLY_ON_MODALITY in page
    assert f'action="/cases/{case_id}/pacs"' in page
    response = _send(client, case_id)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert ONLY_ON_MODALITY not in page
    assert f'action="/cases/{case_id}/pacs"' not in page
    assert "Bilderna är registrerade som skickade till PACS." in page


def test_images_sent_before_the_exam_started_are_refused_beside_the_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_not_sent(client, auth)
    response = _send(client, case_id, "2026-01-15T10:30")  # the exam started 10:50
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "före undersökningens start" in page
    assert 'value="2026-01-15T10:30"' in page  # the time typed stays
    assert _exam(app, case_id).pacs_status == "no"


def test_a_time_in_the_future_is_refused(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _case_not_sent(client, auth)
    response = _send(client, case_id, "2099-01-01T10:00")
    assert response.status_code == 400
    assert "Tiden kan inte ligga i framtiden." in response.get_data(as_text=True)
    assert _exam(app, case_id).pacs_status == "no"


def test_images_already_recorded_by_someone_else_are_not_recorded_again(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_not_sent(client, auth)
    assert _send(client, case_id, key="a" * 20).status_code == 302
    # Another tablet's page, opened before: a form of its own.
    response = _send(client, case_id, "2026-01-15T14:00", key="b" * 20)
    assert response.status_code == 302
    answer = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "redan registrerade som skickade" in answer
    assert _exam(app, case_id).version == 2


def test_a_case_whose_images_are_in_pacs_is_not_offered_the_action(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(url + "/exam", data=exam_data())
    page = client.get(url).get_data(as_text=True)
    assert ONLY_ON_MODALITY not in page
    assert "/pacs" not in page


def _ticked(app: Flask, case_id: int) -> dict[str, bool]:
    with app.app_context():
        ticks = db.session.scalars(
            select(CatchupTick).where(CatchupTick.case_id == case_id).order_by(CatchupTick.id)
        )
        return {t.step: t.is_done for t in ticks}


def test_recording_images_sent_reopens_images_matched_and_nothing_else(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_not_sent(client, auth)
    auth.logout()
    auth.login("secretary")
    save_accession(client, case_id)
    for step in ("booked", "exam_completed"):
        client.post(f"/catchup/cases/{case_id}/steps", data={"step": step, "is_done": "1"})
    with app.app_context():
        # Matched before the rule refused it (a database from before): the images were not in
        # PACS then, so the match is to be redone with them.
        user = db.session.scalar(select(User).where(User.username == "test-secretary"))
        db.session.add(CatchupTick(case_id=case_id, step="images_matched", user_id=user.id))
        db.session.commit()
    auth.logout()
    auth.login("radiographer")
    assert _send(client, case_id).status_code == 302
    assert _ticked(app, case_id) == {
        "booked": True,
        "exam_completed": True,
        "images_matched": False,
    }
    with app.app_context():
        tick = db.session.scalars(
            select(CatchupTick).order_by(CatchupTick.id.desc()).limit(1)
        ).one()
        assert "PACS" in tick.note


def test_a_case_not_in_the_catch_up_gets_no_ticks(app: Flask, client: FlaskClient, auth) -> None:
    case_id = _case_not_sent(client, auth)
    assert _send(client, case_id).status_code == 302
    assert _ticked(app, case_id) == {}


def test_images_recorded_as_sent_with_no_time_are_said_so_without_a_time(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = _case_not_sent(client, auth)
    with app.app_context():
        # Recorded as sent with no time (a database from before the time was asked for).
        exam = db.session.scalar(select(ExamRecord).where(ExamRecord.case_id == case_id))
        assert exam is not None
        exam.pacs_status, exam.pacs_sent_at = "yes", None
        db.session.commit()
    response = _send(client, case_id)
    assert response.status_code == 302
    answer = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Bilderna är redan registrerade som skickade till PACS." in answer
    assert "PACS ." not in answer
    client.post("/language", data={"lang": "en", "next": "/"})
    response = _send(client, case_id, key="q" * 20)
    answer = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The images are already recorded as sent to PACS." in answer
    assert "PACS ." not in answer


def test_images_sent_in_the_minute_the_exam_started_are_taken_when_the_start_has_seconds(
    app: Flask, client: FlaskClient, auth
) -> None:
    # The demo and a service call store the start with seconds; the send is typed to the minute,
    # as the exam form compares it, so the same minute is not "before the start".
    case_id = _case_not_sent(client, auth)
    with app.app_context():
        db.session.execute(
            update(ExamRecord)
            .where(ExamRecord.case_id == case_id)
            .values(started_at=datetime(2026, 1, 15, 9, 50, 30, tzinfo=UTC))  # 10:50:30 local
        )
        db.session.commit()
    response = _send(client, case_id, "2026-01-15T10:50")
    assert response.status_code == 302
    assert _exam(app, case_id).pacs_status == "yes"
