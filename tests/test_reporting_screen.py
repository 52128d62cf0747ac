"""What the reporting screen shows the radiologist beside the editor."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, referral_data


def _context(client: FlaskClient, auth, **exam: object) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(**exam)).status_code == 302
    auth.login("radiologist")
    page = client.get(location.replace("/cases/", "/reporting/")).get_data(as_text=True)
    context = page[page.index('aria-label="Remiss och dokumentation"') :]
    return context[: context.index("</section>")]


def test_reporting_screen_shows_the_radiographers_notes(client: FlaskClient, auth) -> None:
    # With PACS down the radiologist reads on the modality: the radiographer's notes say how.
    notes = "Bilderna finns bara på modaliteten i DT 2. Serie 3 omtagen, patienten rörde sig."
    assert notes in _context(client, auth, notes=notes)


def test_reporting_screen_shows_the_contrast_amount_and_route(client: FlaskClient, auth) -> None:
    context = _context(
        client, auth, contrast_agent="Omnipaque 350", contrast_volume_ml="80", contrast_route="iv"
    )
    assert "Omnipaque 350" in context and "80 ml" in context
