"""A cancel or restore tapped twice shows its success once more; a conflicting one is refused."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from .factories import referral_data


def _new_case(client: FlaskClient, auth) -> str:
    auth.login()
    client.post("/incidents/new", data={"scenario": "integration"})
    return client.post("/cases/new", data=referral_data()).headers["Location"]


def _form(client: FlaskClient, url: str, reason: str) -> dict[str, str]:
    """What the case page's one cancel or restore form sends, with the reason typed."""
    page = client.get(url).get_data(as_text=True)
    key = re.search(r'name="form_key" type="hidden" value="([^"]+)"', page)
    return {"reason": reason, **({"form_key": key.group(1)} if key else {})}


def _tapped_twice(client: FlaskClient, action_url: str, data: dict[str, str]) -> str:
    assert client.post(action_url, data=data).status_code == 302
    second = client.post(action_url, data=data, follow_redirects=True)
    assert second.status_code == 200
    return html.unescape(second.get_data(as_text=True))


def test_a_cancel_tapped_twice_shows_its_success_and_no_error(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    page = _tapped_twice(client, url + "/cancel", _form(client, url, "Fel patient"))
    assert "Ärendet är makulerat." in page
    assert "redan makulerat" not in page


def test_a_restore_tapped_twice_shows_its_success_and_no_error(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    assert client.post(url + "/cancel", data=_form(client, url, "Fel patient")).status_code == 302
    page = _tapped_twice(client, url + "/restore", _form(client, url, "Rätt patient ändå"))
    assert "Makuleringen är ångrad." in page
    assert "inte makulerat" not in page


def test_a_cancel_from_another_form_of_a_cancelled_case_is_still_refused(
    client: FlaskClient, auth
) -> None:
    url = _new_case(client, auth)
    first, other = _form(client, url, "Fel patient"), _form(client, url, "Dubblett")
    assert client.post(url + "/cancel", data=first).status_code == 302
    page = client.post(url + "/cancel", data=other, follow_redirects=True).get_data(as_text=True)
    assert "Ärendet är redan makulerat." in html.unescape(page)


def test_a_cancel_resent_with_another_reason_is_refused(client: FlaskClient, auth) -> None:
    url = _new_case(client, auth)
    data = _form(client, url, "Fel patient")
    assert client.post(url + "/cancel", data=data).status_code == 302
    resent = {**data, "reason": "Dubblett av fax"}
    page = client.post(url + "/cancel", data=resent, follow_redirects=True).get_data(as_text=True)
    assert "redan skickats med en annan orsak, och ärendet makulerades då" in html.unescape(page)
