"""The exam sheet's series and image counts: a box left empty prints "–", as its other boxes."""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import exam_data, referral_data
from .printforms.conftest import pdf_text


def _exam_sheet(client: FlaskClient, auth, **exam: object) -> list[str]:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    response = client.post(location + "/exam", data=exam_data(**exam))
    assert response.status_code == 302, response.get_data(as_text=True)
    pdf = client.get(location.replace("/cases/", "/print/cases/") + "/exam.pdf").get_data()
    return [line.strip() for line in pdf_text(pdf).split("\n")]


def _under(lines: list[str], label: str) -> str:
    return lines[lines.index(label) + 1]


def test_an_exam_without_series_or_image_counts_prints_a_dash(client: FlaskClient, auth) -> None:
    lines = _exam_sheet(client, auth, series_count="", image_count="")
    assert _under(lines, "Serier / bilder") == "–"


def test_an_exam_with_only_the_image_count_prints_it_beside_a_dash(
    client: FlaskClient, auth
) -> None:
    lines = _exam_sheet(client, auth, series_count="", image_count="612")
    assert _under(lines, "Serier / bilder") == "– / 612 (serier / bilder)"
