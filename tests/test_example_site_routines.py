"""The example site against the department's source routines: what each routine asks of staff
is in the example's configuration, on the incident page and on the binder's printed sheet.

The routines (BizTalk down, the external night reviewer, image transfer to another region) are
the examples a department copies; a step they state that the example leaves out is a step a
department starting from it would miss.
"""

from __future__ import annotations

import html

from flask.testing import FlaskClient

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import parse_site_config

from .factories import declare_incident
from .printforms.conftest import pdf_text

CONFIG = parse_site_config(EXAMPLE_SITE.read_text(encoding="utf-8"))


def _sheet(client: FlaskClient, auth, scenario: str) -> str:
    """The binder's printed routine of one scenario, on one line."""
    auth.login("admin")
    response = client.get(f"/blanks/routines.pdf?scenario={scenario}")
    assert response.status_code == 200
    return " ".join(pdf_text(response.get_data()).split())


def _steps(scenario: str) -> tuple[str, ...]:
    return CONFIG.scenarios[scenario].steps


def test_integration_routine_checks_the_intranet_before_anything_else() -> None:
    # "Titta först på intranätet under pågående driftstörningar."
    assert "intranätet" in _steps("integration")[0]


def test_integration_routine_says_what_to_tell_it_support() -> None:
    # "Meddela IT ... säg att remisser inte kommer in."
    assert any("remisser inte kommer in" in step for step in _steps("integration"))


def test_integration_routine_has_the_radiologist_prioritise_on_the_referral() -> None:
    # "Radiolog prioriterar på remissen, skriver utlåtande på en svarsmodell ..."
    assert any("prioriterar" in step for step in _steps("integration"))


def test_integration_routine_keeps_the_paper_in_the_red_tray_until_the_radiologist_is_done(
    client: FlaskClient, auth
) -> None:
    # "Spara pappersremiss, utlåtande och dokumentation tillsammans i en röd back tills
    # undersökningarna är avslutade av Radiolog."
    step = next(s for s in _steps("integration") if "röda backen" in s)
    assert "radiologen" in step
    auth.login()
    page = html.unescape(client.get(f"/incidents/{declare_incident(client)}").get_data(True))
    assert step in page


def test_reviewer_sheet_at_the_fax_holds_every_number_of_the_reviewer_routine(
    client: FlaskClient, auth
) -> None:
    # "Telefonnummer finns vid faxen": the coordinator, the reserve numbers, fax and e-mail.
    sheet = _sheet(client, auth, "external_reviewer")
    for key in CONFIG.routines.external_reviewer.contacts:
        contact = CONFIG.contacts[key]
        for reach in (*contact.phones, contact.fax, contact.email):
            if reach:
                assert reach in sheet, (key, reach)


def test_image_transfer_routine_calls_the_vendor_and_the_administrator() -> None:
    # "Kontakta sedan leverantör ... Kontakta administratör eller någon av cheferna.
    # Administratör kontakter sedan IT."
    calls = CONFIG.scenarios["image_transfer"].calls
    assert calls.index("pacs_vendor") < calls.index("ris_pacs_admin")


def test_image_transfer_routine_says_who_tells_the_department_of_a_transfer_error() -> None:
    # "Personal i Arkivet samt LARS under jouren, ansvarar för att kommunicera överföringsfel".
    assert "archive_staff" in CONFIG.routines.transfer.contacts
    assert any("Röntgenarkivet" in step for step in _steps("image_transfer"))


def test_reviewer_sheet_carries_the_escalation_step_the_reviewer_page_shows(
    client: FlaskClient, auth
) -> None:
    # "Om problem kvarstår ... ringer extern granskare in läkare i beredskap": on the reviewer
    # page (who calls whom), so on the sheet at the fax too, with the number to call in.
    escalation = CONFIG.contacts[CONFIG.routines.external_reviewer.escalation_contact]
    sheet = _sheet(client, auth, "external_reviewer")
    line = f"Kvarstår felet: granskaren ringer in {escalation.name}. Telefon {escalation.phone}."
    assert line in sheet


def test_only_the_reviewer_sheet_carries_the_escalation_step(client: FlaskClient, auth) -> None:
    assert "Kvarstår felet" not in _sheet(client, auth, "integration")
