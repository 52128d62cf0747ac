"""How urgent a case is: the priority the radiologist changes (audited, with a reason), and an
urgent finding that reminds until the call to the referrer is logged."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Case, RecordVersion, Report, UrgentCall

from .factories import hidden_value
from .reporting_support import _report


def test_priority_change_is_audited_and_versioned(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}/priority", data={"priority": "rutin", "reason": "Stabil"})
    with app.app_context():
        assert db.session.scalar(select(Case)).priority == "rutin"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "priority_change"))
        assert event.detail == "Akut → Rutin: Stabil"
        assert event.username == "test-radiologist"
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "case"))
        assert version.changes["priority"] == ["akut", "rutin"]


def test_priority_change_needs_a_reason(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}/priority", data={"priority": "rutin"})
    assert response.status_code == 400
    assert "Ange varför prioriteten ändras." in response.get_data(as_text=True)


def test_urgent_finding_reminds_until_the_call_is_logged(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = _report("definitive", bedomning="Subduralhematom höger.")
    data["is_urgent"] = "y"
    client.post(f"/reporting/{case_id}", data=data)
    assert "Akut fynd: ring remittenten" in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )
    assert "Ring remittenten" in client.get("/reporting/").get_data(as_text=True)
    client.post(
        f"/reporting/{case_id}/call",
        data={
            "called_person": "Dr Åberg",
            "phone_number": "0999-123 45",
            "called_at": "2026-01-15T11:20",
            "note": "Neurokirurg kontaktas",
        },
    )
    with app.app_context():
        call = db.session.scalar(select(UrgentCall))
        assert call.called_person == "Dr Åberg"
        assert call.called_by.username == "test-radiologist"
    assert "Akut fynd: ring remittenten" not in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )


def test_call_logged_from_the_reporting_screen_leads_back_to_it(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = _report("definitive", bedomning="Subduralhematom höger.")
    data["is_urgent"] = "y"
    client.post(f"/reporting/{case_id}", data=data)
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    # Signed definitively: the screen with the addendum being written (its form's key).
    addendum_key = hidden_value(screen.split('id="addendum"', 1)[1], "form_key")
    call_link = f"/reporting/{case_id}/call?next=/reporting/{case_id}?draft%3D{addendum_key}"
    assert f'"{call_link}"' in screen
    form = client.get(call_link).get_data(as_text=True)
    assert f'name="next" value="/reporting/{case_id}?draft={addendum_key}"' in form
    response = client.post(
        f"/reporting/{case_id}/call",
        data={
            "called_person": "Dr Åberg",
            "called_at": "2026-01-15T11:20",
            "next": f"/reporting/{case_id}",
        },
    )
    assert response.headers["Location"] == f"/reporting/{case_id}"
    # A link of an older page names the screen so.
    response = client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:22", "back": "screen"},
    )
    assert response.headers["Location"] == f"/reporting/{case_id}"
    # A secretary has no reporting screen: back to the case page.
    auth.login("secretary")
    for back in ({"back": "screen"}, {"next": f"/reporting/{case_id}"}):
        response = client.post(
            f"/reporting/{case_id}/call",
            data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:25", **back},
        )
        assert response.headers["Location"] == f"/cases/{case_id}"


def test_an_unsigned_save_cannot_take_a_signed_urgent_finding_away(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The preliminary report went out as an urgent finding: a later draft save without the box
    # ticked would drop the call reminder and the sheet's urgent line, with nothing signed.
    auth.login("radiologist")
    data = _report("preliminary", bedomning="Subduralhematom höger.")
    client.post(f"/reporting/{case_id}", data={**data, "is_urgent": "y"})
    edited = _report("save", "s" * 20, "1", bedomning="Subduralhematom höger, 8 mm.")
    response = client.post(f"/reporting/{case_id}", data=edited)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Markeringen tas bara bort när utlåtandet signeras igen" in page
    assert "Subduralhematom höger, 8 mm." in page  # the typed text stays in the editor
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.is_urgent and report.version == 1
    assert "Akut fynd: ring remittenten" in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )
    # Ticked, the draft is saved; signed again, with the call logged, the radiologist may take
    # the mark away.
    assert (
        client.post(f"/reporting/{case_id}", data={**edited, "is_urgent": "y"}).status_code == 302
    )
    client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"},
    )
    resigned = _report("preliminary", "t" * 20, "2", bedomning="Inget hematom.")
    assert client.post(f"/reporting/{case_id}", data=resigned).status_code == 302
    with app.app_context():
        assert not db.session.scalar(select(Report)).is_urgent


def test_a_signature_cannot_take_away_an_urgent_finding_nobody_was_called_about(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The preliminary went out with "Akut fynd" and the referrer was never phoned: a definitive
    # signature without the box ticked dropped the call reminder without a word.
    auth.login("radiologist")
    data = _report("preliminary", bedomning="Misstänkt aortadissektion.")
    client.post(f"/reporting/{case_id}", data={**data, "is_urgent": "y"})
    definitive = _report("definitive", "d" * 20, "1", bedomning="Ingen dissektion. Unikod: åäö ✓")
    response = client.post(f"/reporting/{case_id}", data=definitive)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    # Beside the box (its error is drawn with the field), not only in a banner.
    beside = page.split('name="is_urgent"', 1)[1].split("</div>", 2)
    assert "inget samtal till remittenten är loggat" in "".join(beside[:2])
    assert "Ingen dissektion. Unikod: åäö ✓" in page  # the typed text stays in the editor
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.is_urgent and report.state == "preliminary" and report.version == 1
    assert "Akut fynd: ring remittenten" in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )
    # With the call logged (the referrer told the finding was not confirmed), it may go.
    client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20"},
    )
    assert client.post(f"/reporting/{case_id}", data=definitive).status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.state == "definitive" and not report.is_urgent
