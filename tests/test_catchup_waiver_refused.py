"""A waiver the case's state refuses says why beside the reason, in the waiver box left open.

The box is folded away on the page: with the refusal only at the top of the page, the reason
typed was kept but out of sight, and nothing by the field said what to do with it.
"""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from .factories import exam_data, hidden_value, referral_data


def _waiver_box(page: str, case_id: int) -> str:
    start = page.rindex("<details", 0, page.index(f'action="/catchup/cases/{case_id}/waive"'))
    return page[start : page.index("</details>", start)]


def test_a_waiver_from_a_stale_page_is_refused_beside_its_reason_in_an_open_box(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data(key_suffix="s")).headers["Location"]
    case_id = int(location.rsplit("/", 1)[-1])
    auth.logout()
    auth.login("secretary")
    page = client.get(f"/catchup/cases/{case_id}").get_data(as_text=True)
    shown = hidden_value(page[page.index(f'action="/catchup/cases/{case_id}/waive"') :], "shown")
    auth.logout()
    auth.login("radiographer")
    assert client.post(location + "/exam", data=exam_data(key_suffix="s")).status_code == 302
    auth.logout()
    auth.login("secretary")
    reason = "Patienten kom aldrig"
    response = client.post(
        f"/catchup/cases/{case_id}/waive", data={"reason": reason, "shown": shown}
    )
    assert response.status_code == 409
    box = _waiver_box(response.get_data(as_text=True), case_id)
    assert box.startswith("<details") and " open" in box.split(">", 1)[0]
    error = box.split('id="reason-error"', 1)[1].split("</p>", 1)[0]
    assert "Det är inte undantaget" in error
    assert reason in box
