"""Night on a tablet: one external-reviewer exchange by fax, then one release of images on CD."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from ..factories import exam_data, referral_data
from ..test_routines_reviewer_closed_fax import NIGHT
from .conftest import assert_no_horizontal_scroll, check_accessibility, login
from .test_tablet_layout import SMALL_TARGETS


def _seed(live_app: Any) -> tuple[int, int]:
    """An external-reviewer incident with two CT cases; the second has a definitive report."""
    from webapp.cases.creation import create_case
    from webapp.cases.exam_services import document_exam
    from webapp.extensions import db
    from webapp.incidents.services import declare_incident
    from webapp.models import User, utcnow
    from webapp.reporting.services import save_report
    from webapp.sites import site_config

    with live_app.app_context():
        kim = db.session.query(User).filter_by(username="kim").one()
        rad = db.session.query(User).filter_by(username="rad").one()
        incident = declare_incident(
            user=kim, config=site_config(kim.site), scenario="external_reviewer", is_drill=True
        )
        ref = referral_data()
        ids = []
        for n, (name, pnr) in enumerate(
            [("Örjan Älvström", "191212121212"), ("Åsa Öberg", "198001010027")]
        ):
            result = create_case(
                user=kim,
                incident=incident,
                identity={
                    "patient_id_kind": "personnummer",
                    "patient_id": pnr,
                    "patient_sex": "M" if n == 0 else "F",
                    "patient_name": name,
                },
                priority="akut",
                modality="CT",
                referral={
                    k: ref[k]
                    for k in (
                        "referrer_unit",
                        "referrer_clinician",
                        "referrer_phone",
                        "reply_fax",
                        "exam_code",
                        "exam_text",
                        "clinical_question",
                    )
                }
                | {"arrived_via": "fax", "arrived_at": utcnow()},
                form_key=f"seed{n}" + "x" * 20,
                digest="0",
                url_for_case=lambda c: f"/cases/{c.id}",
            )
            document_exam(
                case_id=result.case_id,
                user=kim,
                values={
                    "modality": "CT",
                    "room": "DT 1",
                    "exam_code": "CT-HJ",
                    "exam_text": exam_data()["exam_text"],
                    "started_at": utcnow(),
                    "radiographers": "Kim Ström",
                    "modality_temp_id": f"TMP-{n}",
                    "pacs_status": "yes",
                },
                form_key=f"seedexam{n}" + "x" * 20,
                digest="0",
                url=f"/cases/{result.case_id}",
            )
            ids.append(result.case_id)
        save_report(
            case_id=ids[1],
            user=rad,
            sections=[{"heading": "Bedömning", "text": "Ingen akut patologi."}],
            template_id=None,
            is_urgent=False,
            read_on="pacs",
            sign="definitive",
        )
    return ids[0], ids[1]


def test_reviewer_exchange_and_release_on_cd(
    page: Page, live_server, live_app, make_staff, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At night, in the reviewer's hours: by day the case page offers the on-call radiologist.
    monkeypatch.setattr("webapp.routines.reviewer_case_page.local_now", lambda: NIGHT)
    make_staff(username="kim", display_name="Kim Ström")
    make_staff(username="rad", role="radiologist", display_name="Rut Radiolog")
    urgent_id, signed_id = _seed(live_app)
    base = live_server.url
    login(page, base, "kim")

    # The routine: who calls whom, contacts now, the message to the administrators.
    page.get_by_role("link", name="Fler rutiner").tap()
    page.get_by_role("link", name="Öppna rutinen").tap()
    page.wait_for_url(f"{base}/routines/reviewer")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Extern granskare")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    mail = page.get_by_role(
        "link", name="Öppna i e-postprogrammet (rispacs@exempel.invalid)", exact=True
    )
    assert (mail.get_attribute("href") or "").startswith(
        "mailto:rispacs%40exempel.invalid?subject="
    )
    page.get_by_role("button", name="Meddelandet är skickat").tap()
    expect(page.locator("#admins .tick-state")).to_contain_text("Kim Ström")

    # One urgent case: anonymised referral, fax logged, image route tried, answer received.
    page.goto(f"{base}/cases/{urgent_id}")
    page.get_by_role("link", name="Extern granskare").tap()
    page.wait_for_url(f"{base}/routines/reviewer/cases/{urgent_id}")
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    expect(page.get_by_role("link", name="Anonymiserad remiss", exact=True)).to_have_attribute(
        "href", f"/print/cases/{urgent_id}/referral-anon.pdf"
    )
    expect(page.get_by_label("Faxnummer")).to_have_value("0999-600 01")
    page.get_by_role("button", name="Logga fax skickat").tap()
    expect(page.locator(".flash").first).to_contain_text("Faxet till den externa granskaren")
    page.get_by_label("Teleradiologidestination i PACS").check()
    page.get_by_label("Misslyckades").check()
    page.get_by_role("button", name="Logga bildöverföring").tap()
    expect(page.locator("#log")).to_contain_text("Teleradiologidestination i PACS: misslyckades")

    page.get_by_role("link", name="Utlåtandet har kommit per fax").tap()
    page.wait_for_url("**/routines/reviewer/receive?code=*")
    check_accessibility(page)
    page.get_by_label("Utlåtandet skrivet av").fill("Dr Granskare")
    page.get_by_role("button", name="Registrera mottaget svar").tap()
    # The code names a case: its patient is shown before anything is recorded.
    expect(page.locator("#confirm-case")).to_contain_text("Stämmer patienten?")
    check_accessibility(page)
    page.get_by_role("button", name="Rätt patient – registrera svaret").tap()
    expect(page.locator(".flash").first).to_contain_text("ligger hos RIS-administratören")
    expect(page.locator("#log")).to_contain_text("Utlåtande mottaget per fax – Dr Granskare")
    # Not yet sent on to the referrer: the page says so until the copy is logged.
    expect(page.locator("#answer")).to_contain_text("Kopian till remittenten är inte loggad")
    # No text entered yet: no identified report to fax on, the copy is refused beside its field.
    page.get_by_role("button", name="Logga kopian faxad").tap()
    expect(page.locator("#forward-number-error")).to_contain_text("inte infört i appen")
    check_accessibility(page)
    # The routine's list of cases and its contacts are tapped on a tablet too.
    page.goto(f"{base}/routines/reviewer")
    assert page.locator("#cases td a").count() == 1
    assert page.evaluate(SMALL_TARGETS, "#cases td a, .contact a") == []

    # A release to the patient on CD: refused without a billing record, then handed over.
    page.goto(f"{base}/cases/{signed_id}")
    page.get_by_role("link", name="Lämna ut bilder").tap()
    page.wait_for_url(f"{base}/routines/releases/cases/{signed_id}")
    check_accessibility(page)
    page.get_by_label("Patienten (privat bruk)").check()
    page.get_by_label("CD/DVD/USB").check()
    page.get_by_label("Hämtas i receptionen").check()
    page.get_by_label("Nej", exact=True).check()
    page.get_by_role("button", name="Kontrollera och registrera").tap()
    expect(page.locator(".refusals")).to_contain_text("kräver ett fakturaunderlag")
    expect(page.locator("#billing_recorded-error")).to_be_visible()
    expect(page.get_by_label("Hämtas i receptionen")).to_be_checked()
    check_accessibility(page)
    assert_no_horizontal_scroll(page)
    page.get_by_label("Fakturaunderlag skrivet och skickat").check()
    page.get_by_role("button", name="Kontrollera och registrera").tap()
    expect(page.locator(".flash").first).to_contain_text("Kontrollera ID")
    page.get_by_label("Patientens giltiga ID-handling är kontrollerad").check()
    page.get_by_role("button", name="Lämna ut", exact=True).tap()
    note = page.locator("#val-note")
    expect(note).to_contain_text("Bränt CD med undersökningsbilder och svarsutlåtande")
    expect(note).to_contain_text("giltig ID-handling kontrollerad")
    expect(note).to_contain_text("Fakturaunderlag skickat till Fakturaenheten")
    check_accessibility(page)
