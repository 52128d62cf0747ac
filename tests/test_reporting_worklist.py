"""What the radiologist reads before writing: the worklist of cases waiting for a report, and
the referral's kidney function beside the editor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from .factories import local_minute, referral_data
from .reporting_support import _report


def test_worklist_lists_cases_waiting_for_a_report(client: FlaskClient, auth, case_id: int) -> None:
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert "Ö. Ä." in page
    client.post(f"/reporting/{case_id}", data=_report("definitive"))
    assert "Ö. Ä." not in client.get("/reporting/").get_data(as_text=True)


def test_worklist_shows_the_most_urgent_and_offers_the_rest(
    client: FlaskClient, auth, case_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from webapp.reporting import views

    monkeypatch.setattr(views, "WORKLIST_ROWS", 1)
    auth.login("radiographer")
    client.post(
        "/cases/new",
        data=referral_data(key_suffix="r", priority="rutin", patient_name="Rut Rutin"),
    )
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert "2 ärenden" in page and "visar de 1 mest brådskande" in page
    assert f'href="/reporting/{case_id}"' in page and "R. R." not in page
    everything = client.get("/reporting/?all=1").get_data(as_text=True)
    assert "R. R." in everything and "Ö. Ä." in everything


@pytest.mark.parametrize(
    ("kidney", "shown"),
    [
        ({"egfr": "29.6"}, "eGFR 29,6"),  # not rounded up over the contrast threshold of 30
        ({"creatinine": "145"}, "kreatinin 145"),  # measured as creatinine only
    ],
)
def test_reporting_screen_shows_kidney_function_as_given(
    client: FlaskClient, auth, kidney: dict[str, str], shown: str
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    referral = referral_data(
        exam_text="DT buk med kontrast",
        exam_code="",
        contrast_planned="y",
        contrast_allergy="no",
        metformin="no",
        pregnancy="no",
        kidney_measured_on="2026-01-14",
        **kidney,
    )
    location = client.post("/cases/new", data=referral).headers["Location"]
    auth.login("radiologist")
    page = client.get(location.replace("/cases/", "/reporting/")).get_data(as_text=True)
    context = page[page.index('aria-label="Remiss och dokumentation"') :]
    # The referral's facts, past the risk box above them (which names the value too).
    facts = context[context.index("<h2>Remiss</h2>") :]
    assert shown in facts[: facts.index("</section>")]


def test_worklist_shows_a_wait_from_yesterday_in_days_and_hours(
    client: FlaskClient, auth, case_id: int
) -> None:
    """A referral of yesterday is "1 d 2 h", not "1565 min"; in English too."""
    auth.login("radiographer")
    client.post(
        "/cases/new",
        data=referral_data(
            key_suffix="y",
            patient_name="Yngve Igår",
            arrived_at=local_minute(-timedelta(hours=26, minutes=5)),
        ),
    )
    auth.login("radiologist")
    page = client.get("/reporting/").get_data(as_text=True)
    assert '<span class="b-wait">1 d 2 h</span>' in page
    assert "1565 min" not in page and "1566 min" not in page
    client.post("/language", data={"lang": "en", "next": "/"})
    assert '<span class="b-wait">1 d 2 h</span>' in client.get("/reporting/").get_data(as_text=True)
