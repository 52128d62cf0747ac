"""Unsent forms at the close: each named by its patient and writer, opened or thrown away there."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Draft

from .catchup_support import close_incident, incident_ended, new_case, reconcile_world
from .catchup_world_support import world as world  # the fixture
from .statements import sent_statements

EXAM_KEY = "unsent-exam-" + "n" * 12  # a form opened after the exam was documented


def _exam_draft(client: FlaskClient, auth, case_id: int) -> int:
    auth.logout()
    auth.login("radiographer")
    body = {
        "kind": "exam",
        "case_id": case_id,
        "data": {"notes": "Kontrast given, inga komplikationer"},
        "label": "Dokumentation",
        "seq": 1,
    }
    assert client.put("/api/drafts/" + EXAM_KEY, json=body).status_code == 200
    auth.logout()
    return int(db.session.scalar(select(Draft.id).where(Draft.form_key == EXAM_KEY)) or 0)


def _cancelled_case_with_an_exam_draft(app: Flask, client: FlaskClient, auth) -> int:
    """A case with an unsent exam form, then cancelled by the radiographer (still logged in)."""
    case_id = new_case(client, auth, key_suffix="x", patient_name="Maja Makulerad")
    with app.app_context():
        _exam_draft(client, auth, case_id)
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"reason": "Fel patient vald"})
    return case_id


def _batch(client: FlaskClient, auth, incident_id: int) -> str:
    auth.logout()
    auth.login("admin")
    return client.get(f"/catchup/incidents/{incident_id}").get_data(as_text=True)


def test_the_close_names_each_unsent_draft_by_patient_and_writer_with_a_way_to_open_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    first = world["ids"][0]
    with app.app_context():
        draft_id = _exam_draft(client, auth, first)
    page = _batch(client, auth, world["incident_id"])
    assert "Kvar att göra: 1 formulär<" in page
    assert "Inget kvar" not in page
    section = page[page.index('id="unsent-drafts"') :]
    assert world["codes"][0] in section
    assert "Örjan Älvström" in section and "19121212-****" in section
    assert "Testa Radiographer Åström" in section
    assert f'href="/cases/{first}/exam?draft={EXAM_KEY}"' in section
    assert f'action="/drafts/{draft_id}/discard"' in section
    assert "Ja, avsluta driftstoppet" not in page


def test_the_refused_close_says_whose_draft_holds_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    with app.app_context():
        _exam_draft(client, auth, world["ids"][0])
    page = close_incident(client, auth, world["incident_id"])
    assert not incident_ended(app, world["incident_id"])
    flash = page[page.index("inte skickats:") :]
    assert "Örjan Älvström" in flash.split("</")[0]
    assert "Testa Radiographer Åström" in flash.split("</")[0]


def test_a_draft_thrown_away_at_the_close_is_logged_and_returns_to_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    with app.app_context():
        draft_id = _exam_draft(client, auth, world["ids"][0])
    batch_path = f"/catchup/incidents/{world['incident_id']}"
    page = _batch(client, auth, world["incident_id"])
    assert f'name="next" value="{batch_path}"' in page
    response = client.post(f"/drafts/{draft_id}/discard", data={"next": batch_path})
    assert response.headers["Location"] == batch_path
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.id).where(
                AuditEvent.action == "draft_discard", AuditEvent.case_id == world["ids"][0]
            )
        )
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])


def test_a_draft_of_a_cancelled_case_is_shown_but_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _cancelled_case_with_an_exam_draft(app, client, auth)
    reconcile_world(client, auth, world)
    page = _batch(client, auth, world["incident_id"])
    assert 'id="unsent-drafts"' not in page
    section = page[page.index('id="cancelled-drafts"') :]
    assert "Maja Makulerad" in section
    assert f'href="/cases/{case_id}/exam?draft={EXAM_KEY}"' in section
    assert "Ja, avsluta driftstoppet" in page
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    # Its text stays readable after the end.
    auth.logout()
    auth.login("radiographer")
    stored = client.get("/api/drafts/" + EXAM_KEY)
    assert stored.status_code == 200
    assert stored.get_json()["data"]["notes"] == "Kontrast given, inga komplikationer"


def test_after_the_close_a_case_page_offers_no_edit_that_would_be_refused(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    auth.logout()
    auth.login("radiographer")
    first = world["ids"][0]
    page = client.get(f"/cases/{first}").get_data(as_text=True)
    assert "Ändringar i ärendet görs nu i RIS" in page
    for edit in ("/exam", "/referral", "/identity", "/cancel"):
        assert f'"/cases/{first}{edit}"' not in page
    # Opened anyway (a bookmark, a draft), the form says so before anything is typed.
    for edit in ("/exam", "/referral", "/identity"):
        form = client.get(f"/cases/{first}{edit}").get_data(as_text=True)
        assert "Ändringar i ärendet görs nu i RIS" in form


def test_a_routine_draft_at_the_close_opens_its_own_form(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    case_id = world["ids"][0]
    auth.logout()
    auth.login("radiographer")
    verbal_key = "v" * 20
    response = client.put(
        f"/api/drafts/{verbal_key}",
        json={
            "kind": "reviewer_verbal",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"verbal-form_key": verbal_key, "verbal-reviewer_name": "Dr Granskare"},
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    page = _batch(client, auth, world["incident_id"])
    section = page[page.index('id="unsent-drafts"') :]
    assert f'href="/routines/reviewer/cases/{case_id}?draft={verbal_key}"' in section
    # Not a report: nothing says a radiologist must open it.
    assert "Utlåtandet öppnas av en radiolog." not in section


def test_after_the_close_the_drafts_list_does_not_ask_to_undo_a_cancellation(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    _cancelled_case_with_an_exam_draft(app, client, auth)
    page = client.get("/drafts").get_data(as_text=True)
    assert "Ärendet är makulerat" in page and "förrän makuleringen ångras" in page
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    auth.logout()
    auth.login("radiographer")
    page = client.get("/drafts").get_data(as_text=True)
    # A cancellation can no longer be undone once RIS is back: the text is only to read.
    assert "Maja Makulerad" in page and "Ärendet är makulerat" in page
    assert "förrän makuleringen ångras" not in page
    assert "Driftstoppet är avslutat" in page


def test_the_close_names_a_draft_sent_under_another_login_by_both(
    app: Flask, client: FlaskClient, auth, world, user_factory
) -> None:
    reconcile_world(client, auth, world)
    typist = user_factory(username="anna", display_name="Anna Andersson")
    auth.logout()
    auth.login("radiographer")
    body = {
        "kind": "exam",
        "case_id": world["ids"][0],
        "data": {"notes": "Kontrast given"},
        "seq": 1,
        "typed_under": typist.id,
    }
    assert client.put("/api/drafts/" + EXAM_KEY, json=body).status_code == 200
    section = _batch(client, auth, world["incident_id"]).split('id="unsent-drafts"', 1)[1]
    assert (
        "Skrivet offline under inloggning Anna Andersson enligt plattan – skickat under "
        "Testa Radiographer Åström"
    ) in section


def test_after_the_end_the_batch_still_shows_a_cancelled_cases_draft(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = _cancelled_case_with_an_exam_draft(app, client, auth)
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"])
    assert incident_ended(app, world["incident_id"])
    page = _batch(client, auth, world["incident_id"])
    assert 'id="unsent-drafts"' not in page
    section = page[page.index('id="cancelled-drafts"') :]
    assert "Maja Makulerad" in section
    assert f'href="/cases/{case_id}/exam?draft={EXAM_KEY}"' in section


def _selects(app: Flask, client: FlaskClient, path: str) -> int:
    with sent_statements(app) as statements:
        assert client.get(path).status_code == 200
    return sum(1 for s in statements if s.lstrip().upper().startswith("SELECT"))


def test_after_the_end_the_batch_reads_no_live_cases_drafts_as_ones_holding_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    path = f"/catchup/incidents/{world['incident_id']}"
    _batch(client, auth, world["incident_id"])
    without = _selects(app, client, path)
    # A tablet offline during the close sends a live case's form: a late draft, not one to
    # send before closing, so the close's list (and its case versions) is not read for it.
    with app.app_context():
        _exam_draft(client, auth, world["ids"][0])
    page = _batch(client, auth, world["incident_id"])
    assert 'id="late-drafts"' in page and 'id="unsent-drafts"' not in page
    assert _selects(app, client, path) == without


def test_an_unsent_transfer_request_does_not_hold_the_close(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A transfer's form is still sent after its outage (draft_kinds): the close must not say
    # it could not be, nor wait for it.
    reconcile_world(client, auth, world)
    auth.login("radiographer")
    body = {
        "kind": "transfer",
        "seq": 1,
        "label": "",
        "incident_id": world["incident_id"],
        "data": {"patient_name": "Tove Flytt"},
    }
    assert client.put("/api/drafts/" + "t" * 20, json=body).status_code == 200
    page = _batch(client, auth, world["incident_id"])
    assert 'id="unsent-drafts"' not in page
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])


def test_a_close_refused_for_several_drafts_says_they_cannot_be_sent_after_it(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    reconcile_world(client, auth, world)
    with app.app_context():
        _exam_draft(client, auth, world["ids"][0])
    auth.login("radiographer")
    body = {"kind": "exam", "case_id": world["ids"][1], "data": {"notes": "x"}, "seq": 1}
    assert client.put("/api/drafts/" + "second-exam-" + "n" * 12, json=body).status_code == 200
    page = close_incident(client, auth, world["incident_id"])
    assert "2 formulär har börjat fyllas i men inte skickats" in page
    # "de" is the subject: "dem" (the object form) read as a mistake on the admin's screen.
    assert "efter avslutet kan de inte skickas." in page
