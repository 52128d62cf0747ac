"""A case whose images are only on the modality (exam documented "Nej"/"Misslyckades"): the
cancel form says, beside the reason, what becomes of them, since a cancelled case's images can
no longer be recorded as sent on its page and the modality deletes them after some days; the
cancelled case's page says it again."""

from __future__ import annotations

import html

from flask.testing import FlaskClient

from .factories import exam_data, hidden_value, referral_data

WARNING = "Bilderna finns bara på modaliteten"
DECIDE = "Avdelningen bestämmer enligt sin rutin"
NAMED = "(Carl Dubblett, 19121212-1212), id på modaliteten TMP-CT1-0042"
REASON = "Dubblett av en annan remiss"


def _documented(client: FlaskClient, auth, pacs_status: str) -> str:
    """A case's page address, its exam documented with the images `pacs_status`."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    referral = referral_data(patient_name="Carl Dubblett", personal_number="19121212-1212")
    url = client.post("/cases/new", data=referral).headers["Location"]
    sent_at = "2026-01-15T11:00" if pacs_status == "yes" else ""
    exam = exam_data(pacs_status=pacs_status, pacs_sent_at=sent_at)
    assert client.post(url + "/exam", data=exam).status_code == 302
    return url


def _cancel_box(page: str) -> str:
    return html.unescape(page.split('class="panel cancel-box"', 1)[1].split("</details>", 1)[0])


def _code(page: str) -> str:
    return page.split('class="case-code">', 1)[1].split("<", 1)[0]


def test_the_cancel_form_says_what_becomes_of_images_only_on_the_modality(
    client: FlaskClient, auth
) -> None:
    url = _documented(client, auth, "failed")
    page = client.get(url).get_data(as_text=True)
    box = _cancel_box(page)
    warning = box.split('id="cancel-on-modality"', 1)[1].split("</div>", 1)[0]
    assert WARNING in warning and DECIDE in warning
    assert "radera" in warning and "skicka dem till PACS" in warning
    assert f"{_code(page)} {NAMED}" in warning
    # Beside the reason: drawn before the button, no box to tick for it.
    assert box.index('id="cancel-on-modality"') < box.index('type="submit"')
    assert 'name="confirm_ris_pacs"' not in box


def test_a_cancel_refused_keeps_the_reason_and_the_warning(client: FlaskClient, auth) -> None:
    url = _documented(client, auth, "no")
    page = client.get(url).get_data(as_text=True)
    sent = {"reason": "", "message": "Till remittenten", "form_key": hidden_value(page, "form_key")}
    response = client.post(url + "/cancel", data=sent)
    assert response.status_code == 400
    box = _cancel_box(response.get_data(as_text=True))
    assert 'id="cancel-on-modality"' in box and "Till remittenten" in box


def test_images_in_pacs_get_no_modality_warning(client: FlaskClient, auth) -> None:
    url = _documented(client, auth, "yes")
    box = _cancel_box(client.get(url).get_data(as_text=True))
    assert 'id="cancel-on-modality"' not in box and DECIDE not in box


def test_the_cancelled_case_page_says_what_becomes_of_the_images(client: FlaskClient, auth) -> None:
    url = _documented(client, auth, "no")
    page = client.get(url).get_data(as_text=True)
    cancel = {"reason": REASON, "form_key": hidden_value(page, "form_key")}
    assert client.post(url + "/cancel", data=cancel).status_code == 302
    page = html.unescape(client.get(url).get_data(as_text=True))
    notice = page.split('id="cancelled-on-modality"', 1)[1].split("</section>", 1)[0]
    assert WARNING in notice and DECIDE in notice and f"{_code(page)} {NAMED}" in notice
    # Refused for a cancelled case: not offered.
    assert "Registrera att bilderna är skickade" not in page
