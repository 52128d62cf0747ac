"""What the reporting screen shows the radiologist beside the editor."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, referral_data, report_data


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
        client,
        auth,
        contrast_agent="Omnipaque 350",
        contrast_volume_ml="80",
        contrast_route="iv",
        contrast_batch="AB1234",
    )
    assert "Omnipaque 350" in context and "80 ml" in context


def _urgent_draft(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    draft = report_data(
        "save",
        "u" * 20,
        findings="Fri gas under diafragman.",
        conclusion="Perforation.",
        version="",
        is_urgent="y",
    )
    assert client.post(f"/reporting/{case_id}", data=draft).status_code == 302


def _urgent_box(page: str) -> str:
    start = page.index('id="is_urgent"')
    return page[page.rindex("<input", 0, start) : page.index(">", start)]


def test_a_refused_priority_change_keeps_the_urgent_finding_ticked(
    client: FlaskClient, auth, case_id: int
) -> None:
    # Signed from the redrawn page, an unticked box would drop the urgent finding and its call.
    _urgent_draft(client, auth, case_id)
    response = client.post(
        f"/reporting/{case_id}/priority", data={"priority": "rutin", "reason": ""}
    )
    assert response.status_code == 400
    assert "checked" in _urgent_box(response.get_data(as_text=True))


def test_the_screen_of_a_cancelled_case_says_so_before_a_report_is_typed(
    client: FlaskClient, auth, case_id: int
) -> None:
    auth.login("radiographer")
    client.post(f"/cases/{case_id}/cancel", data={"confirm_ris_pacs": "y", "reason": "Dubblett"})
    auth.login("radiologist")
    page = client.get(f"/reporting/{case_id}").get_data(as_text=True)
    assert "Ärendet är makulerat." in page


def test_a_section_too_long_is_refused_in_swedish_next_to_its_text(
    client: FlaskClient, auth, case_id: int
) -> None:
    # The browser's maxlength is not the only way in (a restored draft, a pasted text counted
    # otherwise): the refusal names the section and stands next to it, in Swedish.
    auth.login("radiologist")
    data = report_data("save", "l" * 20, conclusion="é" * 20001, version="")
    response = client.post(f"/reporting/{case_id}", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    message = "Fältet får inte vara längre än 20000 tecken."
    assert f'<a href="#sections-1-text">Bedömning: {message}</a>' in page
    assert 'id="sections-1-text-error" role="alert"' in page
    assert page.index(message, page.index('id="sections-1-text"')) > 0
    assert "Field cannot" not in page and "{&#39;text&#39;" not in page
    assert "Ingen blödning." in page  # the other section's text stays
