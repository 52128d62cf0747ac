"""A faxed report typed in autosaves as a draft: offered on another tablet, finished on send."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.incidents.close_drafts import unsent_drafts
from webapp.models import Case, Draft, ReportSignature

from .factories import faxed_report_data, hidden_value
from .routines_support import make_case

FAX_KEY = "faxrep-" + "f" * 20
FINDINGS = "Lungembolier bilateralt i segmentartärerna, ingen högerkammarbelastning."


def _fax_data(key: str = FAX_KEY) -> dict[str, str]:
    return faxed_report_data(form_key=key, findings=FINDINGS)


def _put_fax_draft(client: FlaskClient, case_id: int) -> None:
    """What static/js/drafts.js sends from the fax form while the report is typed."""
    response = client.put(
        f"/api/drafts/{FAX_KEY}",
        json={"kind": "fax_report", "seq": 1, "case_id": str(case_id), "data": _fax_data()},
    )
    assert response.status_code == 200, response.get_data(as_text=True)


def _incident_id(app: Flask, case_id: int) -> int:
    with app.app_context():
        return int(db.session.get(Case, case_id).incident_id)


def test_the_fax_form_autosaves_as_a_draft(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert 'data-draft-kind="fax_report"' in page
    assert f'data-case-id="{case_id}"' in page
    assert 'class="draft-status' in page
    assert len(hidden_value(page, "form_key")) >= 16


def test_a_typed_faxed_report_is_offered_and_continued_on_another_tablet(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _put_fax_draft(client, case_id)
    auth.logout()
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert "Osparad ändring från" in page and "Testa Secretary Åström" in page
    assert f"/reporting/{case_id}/fax?draft={FAX_KEY}" in page
    page = client.get(f"/reporting/{case_id}/fax?draft={FAX_KEY}").get_data(as_text=True)
    assert FINDINGS in page
    assert 'value="Dr Extern Granskare"' in page
    assert hidden_value(page, "form_key") == FAX_KEY
    assert "Osparad ändring från" not in page  # the draft shown is not offered again


def test_the_drafts_list_continues_a_faxed_report(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _put_fax_draft(client, case_id)
    page = client.get("/drafts").get_data(as_text=True)
    assert "Faxat utlåtande" in page
    assert f"/reporting/{case_id}/fax?draft={FAX_KEY}" in page


def test_a_typed_faxed_report_holds_the_close_until_sent(
    app: Flask, client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    incident_id = _incident_id(app, case_id)
    auth.login("secretary")
    _put_fax_draft(client, case_id)
    with app.app_context():
        names = [d.name for d in unsent_drafts(incident_id)]
    assert len(names) == 1 and names[0].startswith("Faxat utlåtande ")
    response = client.post(f"/reporting/{case_id}/fax", data=_fax_data())
    assert response.status_code == 302
    with app.app_context():
        assert unsent_drafts(incident_id) == []
        assert db.session.scalar(select(Draft.is_done)) is True


def test_a_resent_faxed_report_is_entered_once(app: Flask, client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _put_fax_draft(client, case_id)
    first = client.post(f"/reporting/{case_id}/fax", data=_fax_data())
    second = client.post(f"/reporting/{case_id}/fax", data=_fax_data(), follow_redirects=True)
    assert first.status_code == 302
    assert second.status_code == 200
    assert "var redan infört" in second.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportSignature.id))) == 1
        assert db.session.scalar(select(Draft.is_done)) is True
    # The same key with other text is refused beside the form, the text kept, under a new key.
    changed = {**_fax_data(), "conclusion": "Annan text."}
    response = client.post(f"/reporting/{case_id}/fax", data=changed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Annan text." in page and "redan skickats med annat innehåll" in page
    assert hidden_value(page, "form_key") != FAX_KEY


def test_the_fax_form_of_a_cancelled_case_says_so_before_anything_is_typed(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("secretary")
    _put_fax_draft(client, case_id)
    auth.logout()
    auth.login("radiographer")
    client.post(
        f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Fel patient vald"}
    )
    auth.logout()
    auth.login("secretary")
    # Continued from the drafts list: the text is readable, and why it cannot be sent is told.
    page = client.get(f"/reporting/{case_id}/fax?draft={FAX_KEY}").get_data(as_text=True)
    assert FINDINGS in page
    assert "Ärendet är makulerat. Ångra makuleringen" in page


def test_the_fax_form_of_a_definitively_signed_case_says_so_before_anything_is_typed(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("secretary")
    page = client.get(f"/reporting/{case_id}/fax").get_data(as_text=True)
    assert "redan ett definitivt signerat utlåtande" in page
