"""Reporting: signing rules, addenda, faxed reports, priority, urgent calls, templates."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import (
    Addendum,
    AuditEvent,
    Case,
    RecordVersion,
    Report,
    ReportSignature,
    ReportTemplate,
    UrgentCall,
)

from .factories import referral_data, report_data
from .statements import sent_statements


def _report(
    action: str = "save", key: str = "r" * 20, version: str = "", **texts: str
) -> dict[str, str]:
    """The editor's form data; version is the report's version the screen showed."""
    return report_data(
        action,
        key,
        findings=texts.get("fynd", "Ingen blödning. Normalvida ventriklar."),
        conclusion=texts.get("bedomning", "Ingen akut patologi."),
        version=version,
    )


def _state(app: Flask) -> tuple[str, str]:
    with app.app_context():
        case = db.session.scalar(select(Case))
        return case.report.state if case.report else "", case.status


def test_radiologist_signs_preliminary_then_definitive(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("save"))
    assert _state(app) == ("draft", "exam_done")
    client.post(f"/reporting/{case_id}", data=_report("preliminary", key="p" * 20, version="1"))
    assert _state(app) == ("preliminary", "report_preliminary")
    client.post(f"/reporting/{case_id}", data=_report("definitive", key="d" * 20, version="2"))
    assert _state(app) == ("definitive", "report_definitive")
    with app.app_context():
        kinds = [s.kind for s in db.session.scalars(select(ReportSignature))]
        assert kinds == ["preliminary", "definitive"]
        signature = db.session.scalar(
            select(ReportSignature).where(ReportSignature.kind == "definitive")
        )
        assert signature.user_id is not None and signature.signed_at is not None


def test_definitive_report_cannot_be_edited(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    response = client.post(
        f"/reporting/{case_id}", data=_report("save", key="x" * 20, fynd="Ändrad text")
    )
    assert response.status_code == 400
    assert "kan inte ändras" in response.get_data(as_text=True)
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.sections[0]["text"] == "Ingen blödning. Normalvida ventriklar."


def test_addendum_after_definitive_has_its_own_author_and_signature(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    client.post(
        f"/reporting/{case_id}/addendum", data={"text": "Jämfört med tidigare: oförändrat."}
    )
    with app.app_context():
        addendum = db.session.scalar(select(Addendum))
        assert addendum.text == "Jämfört med tidigare: oförändrat."
        assert addendum.author.username == "test-radiologist"
        assert (
            db.session.scalar(
                select(func.count(ReportSignature.id)).where(ReportSignature.kind == "addendum")
            )
            == 1
        )


def test_case_page_names_each_signature_and_addendum_once_without_a_query_per_name(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("preliminary", key="p" * 20))
    client.post(f"/reporting/{case_id}", data=_report("definitive", key="d" * 20, version="1"))
    for text in ("Första tillägget.", "Andra tillägget."):
        client.post(f"/reporting/{case_id}/addendum", data={"text": text})
    with sent_statements(app) as statements:
        page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    # Two signatures times two addenda come back as four joined rows; each is shown once.
    assert page.count("Preliminärt signerat") == 1
    assert page.count("Definitivt signerat") == 1
    assert page.count("Tillägg signerat") == 2
    assert page.count("Första tillägget.") == 1
    assert page.count("Andra tillägget.") == 1
    assert page.index("Preliminärt signerat") < page.index("Definitivt signerat")
    assert page.index("Första tillägget.") < page.index("Andra tillägget.")
    assert page.count("Testa Radiologist Åström") >= 4
    # Session check, the case with its records and names, the calls, the same patient's other
    # cases: one query each, none per name (the access-log row is an insert).
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 4, selects


def test_addendum_needs_a_definitive_report(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("preliminary"))
    client.post(f"/reporting/{case_id}/addendum", data={"text": "För tidigt"})
    with app.app_context():
        assert db.session.scalar(select(func.count(Addendum.id))) == 0


@pytest.mark.parametrize("role", ["radiographer", "secretary", "admin"])
def test_only_radiologists_sign(app: Flask, client: FlaskClient, auth, case_id: int, role) -> None:
    auth.login(role)
    response = client.post(f"/reporting/{case_id}", data=_report("definitive"))
    assert response.status_code == 403
    assert _state(app) == ("", "exam_done")


def test_empty_report_cannot_be_signed(app: Flask, client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    response = client.post(
        f"/reporting/{case_id}", data=_report("definitive", fynd="", bedomning="")
    )
    assert "tomt" in response.get_data(as_text=True)
    assert _state(app) == ("", "exam_done")


def test_double_tap_on_sign_records_one_signature(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = _report("preliminary")
    client.post(f"/reporting/{case_id}", data=data)
    client.post(f"/reporting/{case_id}", data=data)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_priority_change_is_audited_and_versioned(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}/priority", data={"priority": "rutin", "reason": "Stabil"})
    with app.app_context():
        assert db.session.scalar(select(Case)).priority == "rutin"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "priority_change"))
        assert event.detail == "akut → rutin: Stabil"
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


def test_secretary_enters_faxed_report_attributed_to_its_author(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/fax",
        data={
            "author_name": "Dr Extern Granskare",
            "received_at": "2026-01-15T03:10",
            "state": "preliminary",
            "findings": "Ingen blödning.",
            "conclusion": "Normalt.",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalar(select(Report))
        assert report.received_by_fax and report.author_name == "Dr Extern Granskare"
        assert report.entered_by.username == "test-secretary"
        signature = db.session.scalar(select(ReportSignature))
        assert signature.user_id is None and "Dr Extern Granskare" in signature.signer_name
    assert _state(app) == ("preliminary", "report_preliminary")


def test_faxed_report_needs_author_and_conclusion(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/fax",
        data={
            "author_name": "",
            "received_at": "2026-01-15T03:10",
            "state": "definitive",
            "findings": "Text som ska finnas kvar",
            "conclusion": "",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ange vem som skrev utlåtandet." in page
    assert "Text som ska finnas kvar" in page


def test_template_prefills_sections_and_phrases(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    # CT head: the site's "DT hjärna" template is chosen by exam code.
    assert 'value="Teknik"' in page
    assert "Ingen intrakraniell blödning" in page


def test_long_quick_phrases_are_cut_with_an_ellipsis(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    labels = re.findall(r'class="btn btn-small phrase"[^>]*>\+ ([^<]*)</button>', page)
    assert any(label.endswith("…") for label in labels), labels
    assert not any(label.endswith("...") for label in labels), labels


def test_free_text_exam_starts_without_a_template(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(exam_code="", exam_text="DT buk med kontrast, fritext")
    location = client.post("/cases/new", data=data).headers["Location"]
    auth.login("radiologist")
    page = client.get(location.replace("/cases/", "/reporting/")).get_data(as_text=True)
    # Not the modality's first template (CT head), whose quick phrases are about the head.
    assert not re.search(r'<option value="\d+" selected', page)
    assert "Ingen intrakraniell blödning" not in page
    assert 'value="Fynd"' in page and 'value="Bedömning"' in page


def test_worklist_lists_cases_waiting_for_a_report(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Ö. Ä." in page
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    assert "Ö. Ä." not in client.get("/reporting/").get_data(as_text=True)


def test_worklist_shows_the_most_urgent_and_offers_the_rest(
    client: FlaskClient, auth, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.reporting import views

    monkeypatch.setattr(views, "WORKLIST_ROWS", 1)
    auth.login("radiographer")
    client.post(
        "/cases/new",
        data=referral_data(key_suffix="r", priority="rutin", patient_name="Rut Rutin"),
    )
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert "2 ärenden" in page and "visar de 1 mest brådskande" in page
    assert f'href="/reporting/{case_id}"' in page and "R. R." not in page
    everything = client.get("/reporting/?all=1").get_data(as_text=True)
    assert "R. R." in everything and "Ö. Ä." in everything


def test_admin_edits_the_template_library(app: Flask, client: FlaskClient, auth) -> None:
    auth.login("admin")
    response = client.post(
        "/reporting/templates/new",
        data={
            "name": "MR ländrygg",
            "modality": "MR",
            "exam_codes": ["MR-RYGG"],
            "sections": "Frågeställning\nFynd\nBedömning",
            "phrases": "Fynd: Inga diskbråck.\nBedömning: Normalfynd.",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        template = db.session.scalar(
            select(ReportTemplate).where(ReportTemplate.name == "MR ländrygg")
        )
        assert template.sections == ["Frågeställning", "Fynd", "Bedömning"]
        assert template.phrases[0] == {"section": "Fynd", "text": "Inga diskbråck."}
        template_id = template.id
    client.post(
        f"/reporting/templates/{template_id}",
        data={
            "name": "MR ländrygg",
            "modality": "MR",
            "exam_codes": ["MR-RYGG"],
            "sections": "Fynd\nBedömning",
            "phrases": "",
            "is_active": "y",
        },
    )
    with app.app_context():
        assert db.session.get(ReportTemplate, template_id).sections == ["Fynd", "Bedömning"]
        version = db.session.scalar(select(RecordVersion).where(RecordVersion.entity == "template"))
        assert version.data["sections"] == ["Frågeställning", "Fynd", "Bedömning"]


def test_template_phrase_must_name_a_section(client: FlaskClient, auth) -> None:
    auth.login("admin")
    response = client.post(
        "/reporting/templates/new",
        data={
            "name": "X",
            "sections": "Fynd",
            "phrases": "Okänd: text",
            "is_active": "y",
        },
    )
    assert "avsnittet &#39;Okänd&#39; finns inte" in response.get_data(as_text=True)


def test_radiologist_cannot_edit_templates(client: FlaskClient, auth) -> None:
    auth.login("radiologist")
    assert client.get("/reporting/templates/new").status_code == 403


@pytest.mark.parametrize(
    ("kidney", "shown"),
    [
        ({"egfr": "29.6"}, "eGFR 29,6"),  # not rounded up over the contrast threshold of 30
        ({"creatinine": "145"}, "kreatinin 145"),  # measured as creatinine only
    ],
)
def test_reporting_screen_shows_kidney_function_as_given(
    client: FlaskClient, auth, kidney: dict[str, str], shown: str
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    referral = referral_data(
        exam_text="DT buk med kontrast",
        exam_code="",
        contrast_planned="y",
        contrast_allergy="no",
        metformin="no",
        pregnancy="no",
        kidney_measured_on="2026-01-14",
        **kidney,
    )
    location = client.post("/cases/new", data=referral).headers["Location"]
    auth.login("radiologist")
    page = client.get(location.replace("/cases/", "/reporting/")).get_data(as_text=True)
    context = page[page.index('aria-label="Remiss och dokumentation"') :]
    assert shown in context[: context.index("</section>")]


def test_call_logged_from_the_reporting_screen_leads_back_to_it(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    data = _report("definitive", bedomning="Subduralhematom höger.")
    data["is_urgent"] = "y"
    client.post(f"/reporting/{case_id}", data=data)
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    call_link = f"/reporting/{case_id}/call?back=screen"
    assert call_link in screen
    form = client.get(call_link).get_data(as_text=True)
    assert 'name="back" value="screen"' in form
    response = client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:20", "back": "screen"},
    )
    assert response.headers["Location"] == f"/reporting/{case_id}"
    # From the case page it goes back to the case page, as before.
    auth.login("secretary")
    response = client.post(
        f"/reporting/{case_id}/call",
        data={"called_person": "Dr Åberg", "called_at": "2026-01-15T11:25", "back": "screen"},
    )
    assert response.headers["Location"] == f"/cases/{case_id}"


def test_an_addendum_sent_twice_is_signed_once(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    addendum_form = screen[screen.index('id="addendum"') :]
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', addendum_form)
    assert key is not None
    sent = {"form_key": key.group(1), "text": "Även liten fraktur i os temporale."}
    # The tablet's retry after the Wi-Fi dropped, or a second tap on a slow answer.
    for _ in range(2):
        assert client.post(f"/reporting/{case_id}/addendum", data=sent).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(Addendum.id))) == 1
        signatures = db.session.scalars(
            select(ReportSignature.kind).where(ReportSignature.kind == "addendum")
        ).all()
    assert len(signatures) == 1


def test_a_faxed_report_sent_twice_is_entered_once(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', page)
    assert key is not None
    sent = {
        "form_key": key.group(1),
        "author_name": "Dr Extern Granskare",
        "received_at": "2026-01-15T03:10",
        "state": "definitive",
        "findings": "Ingen blödning.",
        "conclusion": "Normalt.",
    }
    first = client.post(f"/reporting/{case_id}/fax", data=sent)
    # A retry after the Wi-Fi dropped: the same answer, not "already has a definitive report".
    second = client.post(f"/reporting/{case_id}/fax", data=sent)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1


def test_an_addendum_changed_after_a_lost_answer_can_be_signed_from_the_page_shown(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    key = re.search(r'name="form_key"[^>]*value="([^"]+)"', screen[screen.index('id="addendum"') :])
    assert key is not None
    first = {"form_key": key.group(1), "text": "Även liten fraktur."}
    assert client.post(f"/reporting/{case_id}/addendum", data=first).status_code == 302
    # The answer never reached the tablet; the radiologist adds to the text and sends again.
    changed = {"form_key": key.group(1), "text": "Även liten fraktur i os temporale."}
    response = client.post(f"/reporting/{case_id}/addendum", data=changed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Tillägget är redan signerat med texten som skickades först" in page
    assert "Även liten fraktur i os temporale." in page  # what was typed stays
    shown = page[page.index('id="addendum"') :]
    new_key = re.search(r'name="form_key"[^>]*value="([^"]+)"', shown)
    assert new_key is not None and new_key.group(1) != key.group(1)
    sent = {"form_key": new_key.group(1), "text": "Även liten fraktur i os temporale."}
    assert client.post(f"/reporting/{case_id}/addendum", data=sent).status_code == 302
    with app.app_context():
        texts = db.session.scalars(select(Addendum.text).order_by(Addendum.id)).all()
    assert texts == ["Även liten fraktur.", "Även liten fraktur i os temporale."]


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
    # Ticked, the draft is saved; signed again, the radiologist may take the mark away.
    assert (
        client.post(f"/reporting/{case_id}", data={**edited, "is_urgent": "y"}).status_code == 302
    )
    resigned = _report("preliminary", "t" * 20, "2", bedomning="Inget hematom.")
    assert client.post(f"/reporting/{case_id}", data=resigned).status_code == 302
    with app.app_context():
        assert not db.session.scalar(select(Report)).is_urgent


def test_a_report_holding_only_the_copied_question_cannot_be_signed(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # The editor fills in the referral's question: signed as it opened, the referrer would get
    # their own question back as the definitive report.
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert 'value="Frågeställning"' in page
    data = {
        "form_key": "q" * 20,
        "action": "definitive",
        "version": "",
        "sections-0-heading": "Frågeställning",
        "sections-0-text": "Blödning?",
        "sections-1-heading": "Fynd",
        "sections-1-text": "",
        "sections-2-heading": "Bedömning",
        "sections-2-text": "",
    }
    response = client.post(f"/reporting/{case_id}", data=data)
    assert response.status_code == 400
    assert "Utlåtandet är tomt och kan inte signeras." in response.get_data(as_text=True)
    assert _state(app) == ("", "exam_done")
    data["sections-2-text"] = "Ingen blödning."
    assert client.post(f"/reporting/{case_id}", data=data).status_code == 302
    assert _state(app) == ("definitive", "report_definitive")


def test_a_save_over_a_faxed_preliminary_report_says_what_to_do_instead(
    app: Flask, client: FlaskClient, auth, case_id: int
) -> None:
    # Sent from an editor opened before the reviewer's preliminary report was entered: an
    # addendum, which the message used to suggest, goes only on a definitive report.
    auth.login("secretary")
    faxed = {
        "author_name": "Dr Extern Granskare",
        "received_at": "2026-01-15T03:10",
        "state": "preliminary",
        "conclusion": "Lungembolism.",
    }
    assert client.post(f"/reporting/{case_id}/fax", data=faxed).status_code == 302
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=_report("definitive"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Det definitiva förs in när det kommer per fax" in page
    assert "skriv ett tillägg" not in page
    assert _state(app) == ("preliminary", "report_preliminary")
    refused = client.post(f"/reporting/{case_id}/addendum", data={"text": "Även pneumoni."})
    assert "Tillägg skrivs till ett definitivt signerat utlåtande." in refused.get_data(
        as_text=True
    )
