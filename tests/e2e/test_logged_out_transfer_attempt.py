"""A try logged on an image transfer after the login ended elsewhere: the way back in leads to
the transfer's page with what was typed in the try form, not lost."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Page, expect

from .conftest import login
from .logout_support import log_in_again, log_out_in_another_tab
from .seed import seed_case


def _transfer(app: Flask, case_id: int) -> int:
    """A transfer of the seeded case's images to the neighbouring hospital, opened as its form
    opens one."""
    from webapp.extensions import db
    from webapp.models import Incident, User
    from webapp.routines.services import SentForm
    from webapp.routines.transfer_services import TransferValues, request_transfer
    from webapp.sites import site_config

    with app.app_context():
        user = db.session.query(User).filter_by(username="seed-rsk").one()
        result = request_transfer(
            user=user,
            config=site_config(user.site),
            incident=db.session.query(Incident).one(),
            values=TransferValues(
                direction="send",
                counterpart_key="grannby_us",
                urgency="akut",
                exam_text="DT hjärna",
                case_id=case_id,
            ),
            sent=SentForm("seedtransfer" + "x" * 20, "0"),
            url_for_transfer=lambda i: f"/routines/transfers/{i}",
        )
        return int(result.url.rsplit("/", 1)[1])


def test_a_try_sent_after_logout_comes_back_in_its_form_after_login(
    page: Page, live_server, live_app
) -> None:
    seeded = seed_case(live_app, sign="")
    transfer_url = f"{live_server.url}/routines/transfers/{_transfer(live_app, seeded['case_id'])}"
    login(page, live_server.url, "seed-rsk")
    page.goto(transfer_url)
    form = page.locator('form[data-draft-kind="transfer_attempt"]')
    form.get_by_text("Direkt via länkdatorn").tap()
    form.get_by_text("Misslyckades").tap()
    note = form.get_by_role("textbox", name="Anteckning")
    note.fill("Länkdatorn svarar inte")
    status = form.locator(".draft-status")
    expect(status).to_contain_text("Utkast sparat på datorn")

    log_out_in_another_tab(page, live_server.url)

    note.fill("Länkdatorn svarar inte – omstartad 14.05, Grannby ringer tillbaka")
    expect(status).to_contain_text("Du är utloggad")
    form.get_by_role("button", name="Logga försöket").tap()
    log_in_again(page, "seed-rsk")
    page.wait_for_url(f"{transfer_url}?**")

    form = page.locator('form[data-draft-kind="transfer_attempt"]')
    expect(form.get_by_role("textbox", name="Anteckning")).to_have_value(
        "Länkdatorn svarar inte – omstartad 14.05, Grannby ringer tillbaka"
    )
    expect(form.get_by_role("radio", name="Misslyckades")).to_be_checked()
    expect(form.locator(".draft-status")).to_contain_text("Utkast sparat på datorn")
