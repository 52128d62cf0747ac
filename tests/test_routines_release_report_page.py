"""The recipient's report is checked on the release's own page: a refusal is said beside its
field there, input kept; once it passes, the page offers the PDF to open in a new tab."""

from __future__ import annotations

import html
import re

from flask import Flask
from flask.testing import FlaskClient

from .printforms.conftest import pdf_text
from .test_routines_release_report import ADDRESS, BY_POST, _prints, _release


def _forms(page: str) -> dict[str, str]:
    """Each form's opening tag and body, by its action."""
    return {
        m.group(2): m.group(0)
        for m in re.finditer(r'<form([^>]*)action="([^"#]+)[^"]*"[^>]*>.*?</form>', page, re.S)
    }


def _hidden(form: str) -> dict[str, str]:
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form)
    }


def test_the_recipients_form_posts_to_the_page_it_is_on(
    app: Flask, client: FlaskClient, auth
) -> None:
    # In a new tab, a refusal would open there and the page the user is on would show nothing.
    release_id = _release(app, client, auth, "definitive", BY_POST)
    page = client.get(f"/routines/releases/{release_id}").get_data(as_text=True)
    form = _forms(page)[f"/routines/releases/{release_id}/report"]
    assert "target=" not in form.split(">", 1)[0]


def test_a_missing_address_is_said_beside_the_field_with_the_name_kept(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    data = {"svar-recipient_name": "Röntgen Växjö lasarett", "svar-recipient_address": " "}
    response = client.post(f"/routines/releases/{release_id}/report", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert 'id="svar-recipient_address-error"' in page
    assert "Ange adressen: svaret skickas med post." in page
    assert 'value="Röntgen Växjö lasarett"' in page
    assert f"/routines/releases/{release_id}/report.pdf" not in page
    assert _prints(app) == []


def test_a_checked_recipient_opens_the_report_in_a_new_tab(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    response = client.post(f"/routines/releases/{release_id}/report", data=ADDRESS)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Röntgen Växjö lasarett" in page and "351 85 Växjö" in page
    assert _prints(app) == []  # checked, not printed
    form = _forms(page)[f"/routines/releases/{release_id}/report.pdf"]
    assert 'target="_blank"' in form.split(">", 1)[0]
    sent = _hidden(form)
    assert sent["svar-recipient_name"] == ADDRESS["svar-recipient_name"]
    assert sent["svar-recipient_address"].splitlines() == ["Box 1", "351 85 Växjö"]
    pdf = client.post(f"/routines/releases/{release_id}/report.pdf", data=sent)
    assert pdf.mimetype == "application/pdf"
    assert "351 85 Växjö" in pdf_text(pdf.get_data())


def test_changing_a_checked_recipient_shows_the_form_with_what_was_typed(
    app: Flask, client: FlaskClient, auth
) -> None:
    release_id = _release(app, client, auth, "definitive", BY_POST)
    page = client.post(f"/routines/releases/{release_id}/report", data=ADDRESS).get_data(
        as_text=True
    )
    change = _hidden(_forms(page)[f"/routines/releases/{release_id}/report"])
    assert change.get("change") == "1"
    response = client.post(f"/routines/releases/{release_id}/report", data=change)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Röntgen Växjö lasarett"' in page and "351 85 Växjö</textarea>" in page
    assert "Ange adressen" not in page
    assert f"/routines/releases/{release_id}/report.pdf" not in page
