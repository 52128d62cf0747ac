"""Cases whose images are only on the modality are seen: on the board, and on the incident page
once the systems work again, so they reach PACS before the modality deletes them."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, local_minute, referral_data

ONLY_ON_MODALITY = "Bilder finns bara på modaliteten"


def _case(client: FlaskClient, pacs_status: str, n: int) -> str:
    """A case (its page's address) whose exam says the images are `pacs_status`."""
    referral = referral_data(key_suffix=str(n), patient_name=f"Patient Nummer{n}")
    url = client.post("/cases/new", data=referral).headers["Location"]
    sent_at = "2026-01-15T11:00" if pacs_status == "yes" else ""
    exam = exam_data(key_suffix=str(n), pacs_status=pacs_status, pacs_sent_at=sent_at)
    assert client.post(url + "/exam", data=exam).status_code == 302
    return url


def _rows(page: str) -> list[str]:
    return page.split('<li class="board-row')[1:]


def test_the_board_flags_a_case_whose_images_are_not_in_pacs(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    not_sent, failed = _case(client, "no", 1), _case(client, "failed", 2)
    _case(client, "yes", 3)
    rows = _rows(client.get("/board/?status=").get_data(as_text=True))
    flagged = sorted(
        r.split('href="', 1)[1].split('"', 1)[0] for r in rows if ONLY_ON_MODALITY in r
    )
    assert len(rows) == 3 and flagged == sorted([not_sent, failed])
    assert (
        sum(ONLY_ON_MODALITY in r for r in _rows(client.get("/board/rows").get_data(as_text=True)))
        == 2
    )


def test_a_cancelled_case_or_one_recorded_as_sent_is_not_flagged(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    cancelled = _case(client, "no", 1)
    client.post(cancelled + "/cancel", data={"reason": "Dubblett"})
    sent = _case(client, "failed", 2)
    client.post(sent + "/pacs", data={"form_key": "s" * 20, "sent_at": local_minute()})
    assert ONLY_ON_MODALITY not in client.get("/board/?status=").get_data(as_text=True)


def test_the_incident_page_counts_them_once_the_systems_work_again(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    _case(client, "no", 1)
    _case(client, "failed", 2)
    _case(client, "yes", 3)
    assert "bara på modaliteten" not in client.get(url).get_data(as_text=True)
    client.post(url + "/restored", data={"restored": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "2 ärenden har bilder bara på modaliteten" in page
    assert "Nummer1" not in page  # counted, not named: the incident page shows no patient


def test_the_incident_page_counts_a_cancelled_one_apart_with_its_own_advice(
    client: FlaskClient, auth
) -> None:
    # Cancelled after its exam (a duplicate): its images cannot be recorded as sent, and the
    # modality deletes them all the same; the department decides before the close asks.
    auth.login("radiographer")
    url = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    _case(client, "no", 1)
    cancelled = _case(client, "failed", 2)
    client.post(cancelled + "/cancel", data={"reason": "Dubblett"})
    client.post(url + "/restored", data={"restored": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "1 ärende har bilder bara på modaliteten" in page
    panel = page.split('id="cancelled-on-modality-heading"', 1)[1].split("</section>", 1)[0]
    assert "1 makulerat ärende har bilder bara på modaliteten" in panel
    assert "Avdelningen bestämmer enligt sin rutin" in panel
    assert "registrera det på ärendets sida" not in panel and "Nummer2" not in panel


def test_a_cancelled_one_alone_is_counted_without_the_send_advice(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    cancelled = _case(client, "no", 1)
    client.post(cancelled + "/cancel", data={"reason": "Dubblett"})
    assert "bara på modaliteten" not in client.get(url).get_data(as_text=True)
    client.post(url + "/restored", data={"restored": "1"})
    page = client.get(url).get_data(as_text=True)
    assert "1 makulerat ärende har bilder bara på modaliteten" in page
    assert "Ärendena är markerade på tavlan" not in page
