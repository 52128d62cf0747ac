"""A preliminary report saved again without a signature: only the signed text leaves the laptop."""

from __future__ import annotations

import io
import json

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from .catchup_world_support import _shown
from .catchup_world_support import world as world  # the fixture
from .factories import report_data

EDIT = "Misstänkt subduralhematom."
SIGNER = "Testa Radiologist Åström"  # signed the preliminary report in the world fixture
SECOND = "Rut Andersson"


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # a long name wraps in its box


def _edit_unsigned(app: Flask, client: FlaskClient, auth, user_factory, case_id: int) -> None:
    """Another radiologist saves a change to the preliminary report without signing it."""
    user_factory(role="radiologist", username="test-radiologist-2", display_name=SECOND)
    auth.logout()
    auth.login("radiologist", username="test-radiologist-2")
    edited = report_data("save", "u" * 20) | _shown(app, case_id, "report")
    edited["sections-1-text"] = EDIT
    assert client.post(f"/reporting/{case_id}", data=edited).status_code == 302
    auth.logout()
    auth.login("secretary")


def _exported_report(client: FlaskClient, incident_id: int, code: str) -> dict:
    document = json.loads(client.get(f"/catchup/incidents/{incident_id}/export/json").data)
    return next(c["report"] for c in document["cases"] if c["code"] == code)


def test_reprinted_preliminary_report_carries_the_signed_text_and_signer(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    case_id = world["ids"][1]
    _edit_unsigned(app, client, auth, user_factory, case_id)
    text = _pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data)
    assert "Normalt." in text and EDIT not in text
    assert SIGNER in text and SECOND not in text


def test_an_unsigned_save_of_the_same_text_leaves_the_report_its_signers(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    # Another radiologist saves the preliminary report without changing its text: they
    # signed nothing, so the fax and RIS must not name them as its radiologist.
    case_id, code = world["ids"][1], world["codes"][1]
    user_factory(role="radiologist", username="test-radiologist-2", display_name=SECOND)
    auth.logout()
    auth.login("radiologist", username="test-radiologist-2")
    same = report_data("save", "u" * 20) | _shown(app, case_id, "report")
    assert client.post(f"/reporting/{case_id}", data=same).status_code == 302
    auth.logout()
    auth.login("secretary")
    text = _pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data)
    assert SIGNER in text and SECOND not in text
    assert _exported_report(client, world["incident_id"], code)["author"] == SIGNER
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    signer = page.split('id="val-signer"', 1)[1].split("</span>", 1)[0]
    assert SIGNER in signer and SECOND not in signer


def test_batch_carries_the_signed_text_until_the_change_is_signed(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    case_id, code = world["ids"][1], world["codes"][1]
    _edit_unsigned(app, client, auth, user_factory, case_id)
    report = _exported_report(client, world["incident_id"], code)
    assert [s["text"] for s in report["sections"]] == ["Ingen blödning.", "Normalt."]
    assert (report["state"], report["author"]) == ("preliminary", SIGNER)
    auth.logout()
    auth.login("radiologist", username="test-radiologist-2")
    signing = report_data("definitive", "g" * 20) | _shown(app, case_id, "report")
    signing["sections-1-text"] = EDIT
    assert client.post(f"/reporting/{case_id}", data=signing).status_code == 302
    auth.logout()
    auth.login("secretary")
    report = _exported_report(client, world["incident_id"], code)
    assert [s["text"] for s in report["sections"]] == ["Ingen blödning.", EDIT]
    assert (report["state"], report["author"]) == ("definitive", SECOND)


def test_catchup_page_copies_the_signed_text_and_signer_beside_the_warning(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    case_id = world["ids"][1]
    _edit_unsigned(app, client, auth, user_factory, case_id)
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    assert "ändringen är inte signerad" in page
    copied = page.split('id="val-report"', 1)[1].split("</span>", 1)[0]
    assert "Normalt." in copied and EDIT not in copied
    signer = page.split('id="val-signer"', 1)[1].split("</span>", 1)[0]
    assert SIGNER in signer and SECOND not in signer


def test_a_changed_preliminary_report_can_be_signed_preliminary_again(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    # A new finding added before a definitive signature is possible must reach the referrer.
    case_id = world["ids"][1]
    auth.logout()
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert 'name="action" value="preliminary"' in screen
    edited = report_data("preliminary", "r" * 20) | _shown(app, case_id, "report")
    edited["sections-1-text"] = EDIT
    assert client.post(f"/reporting/{case_id}", data=edited).status_code == 302
    text = _pdf_text(client.get(f"/print/cases/{case_id}/report.pdf").data)
    assert EDIT in text and "Preliminärt signerat" in text


def _report_panel(page: str) -> str:
    return page.split('id="report"', 1)[1].split("</section>", 1)[0]


def test_case_page_shows_the_signed_text_and_says_the_change_is_unsigned(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    # Read to a referrer on the phone, the unsigned change would pass for the signed report.
    case_id = world["ids"][1]
    _edit_unsigned(app, client, auth, user_factory, case_id)
    panel = _report_panel(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert "Utlåtandet har ändrats efter signeringen och ändringen är inte signerad." in panel
    assert "Nedan står texten som den signerades." in panel
    assert "Normalt." in panel and EDIT not in panel


def test_reporting_screen_says_a_saved_change_is_not_signed(
    app: Flask, client: FlaskClient, auth, user_factory, world
) -> None:
    case_id = world["ids"][1]
    _edit_unsigned(app, client, auth, user_factory, case_id)
    auth.logout()
    auth.login("radiologist", username="test-radiologist-2")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Ändringen nedan är sparad men inte signerad" in page
    assert EDIT in page  # the editor holds the change, to sign or go on with
    signing = report_data("preliminary", "q" * 20) | _shown(app, case_id, "report")
    signing["sections-1-text"] = EDIT
    assert client.post(f"/reporting/{case_id}", data=signing).status_code == 302
    assert "är sparad men inte signerad" not in client.get(f"/reporting/{case_id}").get_data(
        as_text=True
    )
    auth.logout()
    auth.login("secretary")
    panel = _report_panel(client.get(f"/cases/{case_id}").get_data(as_text=True))
    assert EDIT in panel and "ändringen är inte signerad" not in panel
