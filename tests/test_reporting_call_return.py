"""After the urgent call is logged, the radiologist is back where the call form was opened."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from .factories import hidden_value


def _link_to_call(page: str, case_id: int) -> str:
    found = re.search(rf'href="(/reporting/{case_id}/call[^"]*)"', page)
    assert found, "no link to the call form"
    return found.group(1).replace("&amp;", "&")


def _sent(client: FlaskClient, form_url: str, case_id: int) -> TestResponse:
    page = client.get(form_url).get_data(as_text=True)
    hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    fields = {name: value.replace("&amp;", "&") for name, value in hidden}
    fields.update(
        {
            "form_key": hidden_value(page, "form_key"),
            "called_person": "Dr Åberg",
            "phone_number": "0999-123 45",
            "called_at": "2026-01-15T11:20",
        }
    )
    return client.post(f"/reporting/{case_id}/call", data=fields)


def test_a_call_logged_from_the_reporting_screen_returns_to_the_report_being_written(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    screen = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    # The editor autosaves under its key: back without it, its text is only offered as a draft.
    report_key = hidden_value(screen.split('id="report-form"', 1)[1], "form_key")
    response = _sent(client, _link_to_call(screen, case_id), case_id)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reporting/{case_id}?draft={report_key}"


def test_a_call_logged_from_the_case_page_returns_to_the_case_page(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    response = _sent(client, f"/reporting/{case_id}/call", case_id)
    assert response.headers["Location"] == f"/cases/{case_id}"


def test_a_return_address_off_the_case_is_not_followed(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiologist")
    for elsewhere in ("//evil.example/", f"/reporting/{case_id + 1}", "/admin/users"):
        response = _sent(client, f"/reporting/{case_id}/call?next={quote(elsewhere)}", case_id)
        assert response.headers["Location"] == f"/cases/{case_id}", elsewhere
