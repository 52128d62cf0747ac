"""Server-side drafts: saved within seconds, never overwritten by older state, listed."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, Draft

from .factories import audit_count, audit_events_since, exam_data, hidden_value, referral_data

KEY = "draftkey-" + "x" * 16


@pytest.fixture
def logged_in(client: FlaskClient, auth) -> None:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})


def _put(client: FlaskClient, seq: int, name: str, key: str = KEY):
    return client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "referral",
            "seq": seq,
            "label": name,
            "data": {"patient_name": name, "personal_number": "19121212-1212", "csrf_token": "x"},
        },
    )


def test_draft_is_saved_and_can_be_resumed_on_another_tablet(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    assert _put(client, 1, "Åsa Öberg").get_json()["state"] == "created"
    other_tablet = app.test_client()
    other_tablet.post("/login", data={"username": "test-radiographer", "secret": "482915"})
    page = other_tablet.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    assert 'value="Åsa Öberg"' in page
    assert f'value="{KEY}"' in page
    assert "Åsa Öberg" in other_tablet.get("/drafts").get_data(as_text=True)


def test_older_sequence_never_overwrites(app: Flask, client: FlaskClient, logged_in) -> None:
    _put(client, 5, "Ny")
    assert _put(client, 3, "Gammal").get_json()["state"] == "stale"
    with app.app_context():
        assert db.session.scalar(select(Draft)).data["patient_name"] == "Ny"


def test_an_older_count_with_the_stored_text_is_held_not_stale(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # A save whose answer was lost comes again from the next page: the tablet may mark it sent.
    _put(client, 5, "Ny")
    assert _put(client, 5, "Ny").get_json()["state"] == "held"
    assert _put(client, 4, "Ny").get_json()["state"] == "held"
    assert _put(client, 5, "Annan").get_json()["state"] == "stale"


def test_csrf_token_is_not_stored(app: Flask, client: FlaskClient, logged_in) -> None:
    _put(client, 1, "A")
    with app.app_context():
        assert "csrf_token" not in db.session.scalar(select(Draft)).data


def test_page_after_a_saved_form_names_it_once(client: FlaskClient, logged_in) -> None:
    # The tablet drops its own copy of the form only when the laptop says it holds the form.
    response = client.post("/cases/new", data=referral_data(form_key=KEY), follow_redirects=True)
    assert f'data-saved-form="{KEY}"' in response.get_data(as_text=True)
    assert 'data-saved-form=""' in client.get("/").get_data(as_text=True)


def test_refused_form_is_not_named_saved(client: FlaskClient, logged_in) -> None:
    page = client.post("/cases/new", data=referral_data(form_key=KEY, reply_fax=""))
    assert page.status_code == 400
    assert 'data-saved-form=""' in page.get_data(as_text=True)


def test_submitting_the_form_finishes_its_draft(app: Flask, client: FlaskClient, logged_in) -> None:
    _put(client, 1, "Örjan")
    client.post("/cases/new", data=referral_data(form_key=KEY))
    with app.app_context():
        assert db.session.scalar(select(Draft)).is_done
    assert _put(client, 2, "sent late").get_json()["state"] == "done"
    assert "Örjan" not in client.get("/drafts").get_data(as_text=True)


def test_unknown_draft_key_keeps_the_key_for_offline_data(client: FlaskClient, logged_in) -> None:
    key = "offline-" + "y" * 20
    page = client.get(f"/cases/new?draft={key}").get_data(as_text=True)
    assert f'value="{key}"' in page


@pytest.mark.parametrize(
    "body", [None, [], {"kind": "nonsense", "data": {}}, {"kind": "referral", "data": "x"}]
)
def test_malformed_draft_is_refused(client: FlaskClient, logged_in, body) -> None:
    response = client.put(f"/api/drafts/{KEY}", json=body)
    assert response.status_code == 400


def test_draft_api_requires_login(client: FlaskClient) -> None:
    assert client.put(f"/api/drafts/{KEY}", json={}).status_code == 401


def test_discarded_draft_leaves_the_list(client: FlaskClient, app: Flask, logged_in) -> None:
    _put(client, 1, "Kasta mig")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft)).id
    client.post(f"/drafts/{draft_id}/discard")
    assert "Kasta mig" not in client.get("/drafts").get_data(as_text=True)


def test_a_save_to_a_discarded_draft_is_told_apart_from_one_to_a_sent_form(
    client: FlaskClient, app: Flask, logged_in
) -> None:
    # The tablet still typing keeps its text as a new draft only if it was thrown away.
    _put(client, 1, "Kasta mig")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft)).id
    client.post(f"/drafts/{draft_id}/discard")
    assert _put(client, 2, "Skrivet efteråt").get_json()["state"] == "discarded"
    with app.app_context():
        assert db.session.get(Draft, draft_id).data["patient_name"] == "Kasta mig"


@pytest.fixture
def two_cases(app: Flask, client: FlaskClient, auth) -> list[Case]:
    """Two patients' cases in one incident; nobody logged in."""
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    client.post("/cases/new", data=referral_data())
    client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="b",
            patient_name="Åsa Öberg",
            personal_number="19800101-0027",
            pregnancy="no",
        ),
    )
    auth.logout()
    with app.app_context():
        cases = list(db.session.scalars(select(Case).order_by(Case.id)))
        db.session.expunge_all()
    return cases


REPORT_KEY = "report-" + "r" * 20
EXAM_KEY = "exam-" + "e" * 20


def _put_case_draft(
    client: FlaskClient, kind: str, key: str, case_id: int, data: dict[str, str], label: str = ""
):
    """What static/js/drafts.js sends from the exam form and the report editor."""
    return client.put(
        f"/api/drafts/{key}",
        json={
            "kind": kind,
            "seq": 1,
            "case_id": str(case_id),
            "label": label,
            "data": {"form_key": key, **data},
        },
    )


REPORT_TEXT = {
    "sections-0-heading": "Fynd",
    "sections-0-text": "Subduralt hematom höger, 8 mm.",
    "sections-1-heading": "Bedömning",
    "sections-1-text": "Akut blödning.",
}


def _rows(page: str) -> list[str]:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]


def test_drafts_of_cases_name_the_patient_and_case_from_the_case(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    first, second = two_cases
    auth.login("radiologist")
    assert _put_case_draft(client, "report", REPORT_KEY, first.id, REPORT_TEXT).status_code == 200
    # The exam form's label is only the exam text: the same for both patients.
    response = _put_case_draft(
        client, "exam", EXAM_KEY, second.id, {"notes": "Orolig"}, label="DT hjärna utan kontrast"
    )
    assert response.status_code == 200
    page = client.get("/drafts").get_data(as_text=True)
    assert "utan namn" not in page
    exam_row, report_row = _rows(page)
    assert first.code in report_row
    assert "<bdi>Örjan Älvström</bdi> · 19121212-****" in report_row
    assert second.code in exam_row
    assert "<bdi>Åsa Öberg</bdi> · 19800101-****" in exam_row
    assert "Örjan" not in exam_row and "Åsa" not in report_row


def test_report_draft_is_continued_on_another_tablet(
    app: Flask, client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    case_id = two_cases[0].id
    auth.login("radiologist")
    _put_case_draft(client, "report", REPORT_KEY, case_id, REPORT_TEXT)
    other_tablet = app.test_client()
    other_tablet.post("/login", data={"username": "test-radiologist", "secret": "482915"})
    link = f"/reporting/{case_id}?draft={REPORT_KEY}"
    assert link in other_tablet.get("/drafts").get_data(as_text=True)
    page = other_tablet.get(link).get_data(as_text=True)
    assert "Subduralt hematom höger, 8 mm." in page
    assert f'value="{REPORT_KEY}"' in page


def test_report_draft_offers_no_continue_to_who_cannot_report(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    auth.login("radiologist")
    _put_case_draft(client, "report", REPORT_KEY, two_cases[0].id, REPORT_TEXT)
    auth.logout()
    auth.login("radiographer")
    page = client.get("/drafts").get_data(as_text=True)
    assert "Örjan Älvström" in page
    assert f"draft={REPORT_KEY}" not in page


def test_exam_draft_is_continued_from_the_list(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    case_id = two_cases[1].id
    auth.login()
    _put_case_draft(client, "exam", EXAM_KEY, case_id, {"notes": "Orolig, lugnad"})
    link = f"/cases/{case_id}/exam?draft={EXAM_KEY}"
    assert link in client.get("/drafts").get_data(as_text=True)
    assert "Orolig, lugnad" in client.get(link).get_data(as_text=True)


def test_draft_of_one_case_does_not_fill_another_cases_form(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    first, second = two_cases
    auth.login("radiologist")
    _put_case_draft(client, "exam", EXAM_KEY, first.id, {"notes": "Orolig, lugnad"})
    _put_case_draft(client, "report", REPORT_KEY, first.id, REPORT_TEXT)
    exam_page = client.get(f"/cases/{second.id}/exam?draft={EXAM_KEY}")
    assert "Orolig, lugnad" not in exam_page.get_data(as_text=True)
    report_page = client.get(f"/reporting/{second.id}?draft={REPORT_KEY}")
    assert "Subduralt hematom" not in report_page.get_data(as_text=True)
    # Nor do they carry its key: sending them would mark the first case's draft done.
    assert hidden_value(exam_page.get_data(as_text=True), "form_key") not in ("", EXAM_KEY)
    assert hidden_value(report_page.get_data(as_text=True), "form_key") not in ("", REPORT_KEY)


def test_a_case_draft_does_not_fill_a_new_referral(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    auth.login("radiographer")
    _put_case_draft(client, "exam", EXAM_KEY, two_cases[0].id, {"notes": "Orolig, lugnad"})
    page = client.get(f"/cases/new?draft={EXAM_KEY}").get_data(as_text=True)
    assert "Orolig, lugnad" not in page
    assert hidden_value(page, "form_key") not in ("", EXAM_KEY)


def test_draft_cannot_move_to_another_case(
    app: Flask, client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    first, second = two_cases
    auth.login("radiologist")
    _put_case_draft(client, "report", REPORT_KEY, first.id, REPORT_TEXT)
    moved = client.put(
        f"/api/drafts/{REPORT_KEY}",
        json={"kind": "report", "seq": 2, "case_id": str(second.id), "data": REPORT_TEXT},
    )
    assert moved.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Draft)).case_id == first.id


def test_drafts_list_writes_one_read_row_naming_the_cases_shown(
    app: Flask, client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    auth.login("radiologist")
    _put_case_draft(client, "report", REPORT_KEY, two_cases[0].id, REPORT_TEXT)
    before = audit_count(app)
    client.get("/drafts")
    rows = audit_events_since(app, before)
    assert [r.action for r in rows] == ["drafts_view"]
    assert two_cases[0].code in rows[0].detail
    assert two_cases[1].code not in rows[0].detail


def test_referral_form_reopened_after_it_was_sent_gets_a_fresh_key(
    client: FlaskClient, logged_in
) -> None:
    # Back after Spara reopens the sent form's address: the next patient typed there must be
    # saved as a draft of its own, not refused as part of the sent form.
    _put(client, 1, "Åsa Öberg")
    client.post("/cases/new", data=referral_data(form_key=KEY))
    page = client.get(f"/cases/new?draft={KEY}").get_data(as_text=True)
    key = hidden_value(page, "form_key")
    assert key not in ("", KEY)
    assert _put(client, 1, "Nästa Patient", key=key).get_json()["state"] == "created"


def test_exam_form_reopened_after_it_was_sent_can_be_corrected(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    case_id = two_cases[0].id
    auth.login()
    client.post(f"/cases/{case_id}/exam", data=exam_data(form_key=EXAM_KEY))
    page = client.get(f"/cases/{case_id}/exam?draft={EXAM_KEY}").get_data(as_text=True)
    key = hidden_value(page, "form_key")
    assert key not in ("", EXAM_KEY)
    corrected = client.post(
        f"/cases/{case_id}/exam",
        data=exam_data(form_key=key, version=hidden_value(page, "version"), notes="Rättat"),
    )
    assert corrected.status_code == 302


def test_reading_a_case_draft_back_is_logged_against_its_case_and_patient(
    app: Flask, client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    auth.login("radiologist")
    _put_case_draft(client, "report", REPORT_KEY, two_cases[0].id, REPORT_TEXT)
    before = audit_count(app)
    assert client.get(f"/api/drafts/{REPORT_KEY}").status_code == 200
    rows = audit_events_since(app, before)
    assert [(r.action, r.case_id, r.patient_ref) for r in rows] == [
        ("draft_view", two_cases[0].id, "191212121212")
    ]


def test_discarding_a_case_draft_is_logged_against_its_case(
    app: Flask, client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    auth.login("radiologist")
    _put_case_draft(client, "report", REPORT_KEY, two_cases[1].id, REPORT_TEXT)
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    client.post(f"/drafts/{draft_id}/discard")
    with app.app_context():
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft_discard"))
        assert (row.case_id, row.patient_ref) == (two_cases[1].id, "198001010027")


def test_opening_a_referral_draft_is_logged_against_the_typed_patient(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    _put(client, 1, "Örjan Älvström")
    before = audit_count(app)
    assert client.get(f"/cases/new?draft={KEY}").status_code == 200
    assert client.get(f"/api/drafts/{KEY}").status_code == 200
    rows = audit_events_since(app, before)
    assert [(r.action, r.patient_ref) for r in rows] == [
        ("referral_form_view", "191212121212"),
        ("draft_view", "191212121212"),
    ]


def test_the_list_marks_a_draft_of_a_cancelled_case(
    client: FlaskClient, auth, two_cases: list[Case]
) -> None:
    first, second = two_cases
    auth.login("radiographer")
    _put_case_draft(client, "exam", EXAM_KEY, first.id, {"notes": "Kontrast given"})
    _put_case_draft(client, "exam", "exam-" + "x" * 20, second.id, {"notes": "Orolig"})
    client.post(f"/cases/{first.id}/cancel", data={"reason": "Fel patient vald"})
    rows = _rows(client.get("/drafts").get_data(as_text=True))
    cancelled = [row for row in rows if first.code in row]
    live = [row for row in rows if second.code in row]
    # Why its form cannot be sent now, and that it no longer holds the close.
    assert len(cancelled) == 1 and "Ärendet är makulerat" in cancelled[0]
    assert len(live) == 1 and "makulerat" not in live[0]


def test_an_autosave_arriving_after_the_form_was_sent_leaves_no_draft(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # No draft was stored before the submit; the tablet's queued autosave lands afterwards.
    assert client.post("/cases/new", data=referral_data(form_key=KEY)).status_code == 302
    assert _put(client, 1, "Örjan late").get_json()["state"] == "done"
    assert "Örjan late" not in client.get("/drafts").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Draft.id)).where(~Draft.is_done)) == 0


def test_a_refused_referral_page_listing_open_drafts_is_logged_as_a_read(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    _put(client, 1, "Örjan Älvström")
    before = audit_count(app)
    page = client.post("/cases/new", data={"form_key": "r" * 20, "patient_name": ""})
    assert page.status_code == 400
    assert "Örjan Älvström" in page.get_data(as_text=True)  # the open draft, by name
    actions = [row.action for row in audit_events_since(app, before)]
    assert "referral_form_view" in actions


def test_a_draft_keeps_no_tick_the_laptop_asked_for(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # A tick answers the page that asked; kept in a draft it would answer a later page's
    # question (another patient's) on the page drawn from that draft.
    asked = {
        "namesake_confirmed": "y",
        "namesake_confirmed_for": "personnummer:191212121212:tolvan tolvansson",
        "reserve_confirmed": "y",
        "reserve_confirmed_for": "191212121212",
        "confirm_patient": "y",
        "confirm_patient_for": "191212121212",
    }
    response = client.put(
        f"/api/drafts/{KEY}",
        json={
            "kind": "referral",
            "seq": 1,
            "label": "Tolvan Tolvansson",
            "data": {"patient_name": "Tolvan Tolvansson"} | asked,
        },
    )
    assert response.status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(Draft).where(Draft.form_key == KEY))
        assert stored is not None
        assert stored.data == {"patient_name": "Tolvan Tolvansson"}


def test_discarding_a_referral_draft_is_logged_against_the_typed_patient(
    app: Flask, client: FlaskClient, logged_in
) -> None:
    # No case yet: the patient's own log extract finds the referral thrown away by the number
    # typed into it, as it finds the draft's reads and its late arrival.
    _put(client, 1, "Örjan Älvström")
    with app.app_context():
        draft_id = db.session.scalar(select(Draft.id))
    client.post(f"/drafts/{draft_id}/discard")
    with app.app_context():
        row = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "draft_discard"))
        assert row is not None
        assert row.patient_ref == "191212121212"
