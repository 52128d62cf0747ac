"""The report being written stays in the editor after another form of the reporting screen is
sent (the priority, the instruction): the screen drawn next continues the editor's draft."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from .dispatch_support import _dispatch
from .factories import hidden_value, report_data
from .routines_support import make_case

TYPED = "Fri gas under diafragman, skrivet före prioritetsändringen."


def _editor_draft(client: FlaskClient, auth, case_id: int) -> str:
    """The editor's key, with text autosaved under it as drafts.js does while typing."""
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    editor = screen.split('id="report-form"', 1)[1]
    key = hidden_value(editor, "form_key")
    typed = report_data("save", key, findings=TYPED, version="")
    response = client.put(
        f"/api/drafts/{key}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": typed},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return key


def _draft_carried(page: str, action: str) -> str:
    """The draft key the form posting to `action` carries (drafts.js keeps it current)."""
    form = re.search(rf'<form[^>]*action="{re.escape(action)}[^"]*"(.*?)</form>', page, re.S)
    assert form is not None, f"no form to {action}"
    return hidden_value(form.group(1), "draft")


def _editor_text(page: str) -> str:
    editor = page.split('id="report-form"', 1)[1].split("</form>", 1)[0]
    return editor


def test_a_priority_change_returns_to_the_report_being_written(
    client: FlaskClient, auth, case_id: int
) -> None:
    key = _editor_draft(client, auth, case_id)
    screen = client.get(f"/reporting/{case_id}?draft={key}").get_data(as_text=True)
    data = {
        "priority": "rutin",
        "reason": "Stabil",
        "draft": _draft_carried(screen, f"/reporting/{case_id}/priority"),
    }
    response = client.post(f"/reporting/{case_id}/priority", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert TYPED in _editor_text(page)


def test_a_refused_priority_change_keeps_the_report_being_written_in_the_editor(
    client: FlaskClient, auth, case_id: int
) -> None:
    key = _editor_draft(client, auth, case_id)
    screen = client.get(f"/reporting/{case_id}?draft={key}").get_data(as_text=True)
    data = {
        "priority": "rutin",
        "reason": "",
        "draft": _draft_carried(screen, f"/reporting/{case_id}/priority"),
    }
    response = client.post(f"/reporting/{case_id}/priority", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert TYPED in _editor_text(page)
    # Still the draft's key: what is typed next goes on under it, not beside it as another.
    assert hidden_value(page.split('id="report-form"', 1)[1], "form_key") == key


def test_an_instruction_saved_returns_to_the_report_being_written(
    client: FlaskClient, auth, case_id: int
) -> None:
    key = _editor_draft(client, auth, case_id)
    screen = client.get(f"/reporting/{case_id}?draft={key}").get_data(as_text=True)
    data = {
        "protocol": "Utan kontrast.",
        "draft": _draft_carried(screen, f"/reporting/{case_id}/protocol"),
    }
    response = client.post(f"/reporting/{case_id}/protocol", data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert TYPED in _editor_text(page)


def test_a_refused_instruction_keeps_the_addendum_being_written(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    key = hidden_value(screen.split('id="addendum"', 1)[1], "form_key")
    addendum = "Vid förnyad granskning ses även en liten fraktur i femte revbenet höger."
    response = client.put(
        f"/api/drafts/{key}",
        json={
            "kind": "addendum",
            "seq": 1,
            "case_id": str(case_id),
            "data": {"form_key": key, "text": addendum, "is_urgent": ""},
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    data = {
        "protocol": "x" * 2001,
        "draft": _draft_carried(screen, f"/reporting/{case_id}/protocol"),
    }
    response = client.post(f"/reporting/{case_id}/protocol", data=data)
    assert response.status_code == 400
    form = response.get_data(as_text=True).split('id="addendum"', 1)[1].split("</form>", 1)[0]
    assert addendum in form and hidden_value(form, "form_key") == key


def test_a_fax_logged_from_the_screen_returns_to_the_report_being_written(
    client: FlaskClient, auth, case_id: int
) -> None:
    # Signed preliminary and faxed: the radiologist writes on towards the definitive report.
    auth.login("radiologist")
    signed = report_data("preliminary", "s" * 20, version="")
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    key = hidden_value(screen.split('id="report-form"', 1)[1], "form_key")
    typed = report_data("save", key, findings=TYPED, version=hidden_value(screen, "version"))
    response = client.put(
        f"/api/drafts/{key}",
        json={"kind": "report", "seq": 1, "case_id": str(case_id), "data": typed},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    screen = client.get(f"/reporting/{case_id}?draft={key}").get_data(as_text=True)
    action = f"/reporting/{case_id}/dispatch"
    form = re.search(rf'<form[^>]*action="{re.escape(action)}"(.*?)</form>', screen, re.S)
    assert form is not None
    data = {
        name: value
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.group(1)
        )
    } | _dispatch()
    response = client.post(action, data=data)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert TYPED in _editor_text(page)


def test_a_refused_fax_log_keeps_the_report_being_written_for_its_resend(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    signed = report_data("preliminary", "s" * 20, version="")
    assert client.post(f"/reporting/{case_id}", data=signed).status_code == 302
    data = {"back": "screen", "draft": "k" * 22} | _dispatch(fax_number="")
    response = client.post(f"/reporting/{case_id}/dispatch", data=data)
    assert response.status_code == 400
    assert hidden_value(response.get_data(as_text=True), "draft") == "k" * 22


def test_the_call_form_returns_to_the_addendum_being_written(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth, report="definitive")
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    key = hidden_value(screen.split('id="addendum"', 1)[1], "form_key")
    link = re.search(rf'href="(/reporting/{case_id}/call[^"]*)"', screen)
    assert link is not None
    assert f"draft%3D{key}" in link.group(1) or f"draft={key}" in link.group(1)
