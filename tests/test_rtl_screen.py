"""Hebrew and Arabic on the screens: each name and free text runs in its own direction.

Without dir="auto" (or <bdi>) the browser lays a right-to-left name out inside the Swedish line
around it: the " · " and the number after it join the name's run and jump to its left.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from flask.testing import FlaskClient

from .factories import exam_data, referral_data

NAME = "שרה כהן"
HISTORY = "כאב ראש (חזק) מאז אתמול."
NOTES = "المريض متعاون"
PROTOCOL = "اتصل بي عندما يصل المريض"
RTL = re.compile("[\u0590-\u08ff]")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Isolation(HTMLParser):
    """Right-to-left text whose element neither is <bdi> nor has dir="auto"."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.bare: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not RTL.search(data) or not self.open:
            return
        tag, attrs = self.open[-1]
        if tag not in ("title", "bdi", "script", "template") and attrs.get("dir") != "auto":
            self.bare.append(f"<{tag} {attrs}>{data.strip()}")


def _bare(page: str) -> list[str]:
    parser = _Isolation()
    parser.feed(page)
    return parser.bare


@pytest.fixture
def case_url(client: FlaskClient, auth) -> str:
    auth.login("radiologist")
    client.post("/incidents/new", data={"scenario": "integration"})
    data = referral_data(patient_name=NAME, history=HISTORY, clinical_question=HISTORY)
    location = client.post("/cases/new", data=data).headers["Location"]
    assert client.post(location + "/exam", data=exam_data(notes=NOTES)).status_code == 302
    # The radiologist's instruction to the radiographer, shown on the case and exam pages.
    instruction = {"protocol": PROTOCOL}
    assert client.post(location.replace("/cases/", "/reporting/") + "/protocol", data=instruction)
    return str(location)


@pytest.mark.parametrize(
    "page", ["{case}", "/board/", "/reporting/", "{report}", "{referral}", "{exam}"]
)
def test_right_to_left_names_and_texts_are_isolated_on_the_screens(
    client: FlaskClient, case_url: str, page: str
) -> None:
    url = page.format(
        case=case_url,
        report=case_url.replace("/cases/", "/reporting/"),
        referral=case_url + "/referral",
        exam=case_url + "/exam",
    )
    shown = client.get(url).get_data(as_text=True)
    assert RTL.search(shown), url
    if page in ("{case}", "{exam}", "{report}"):
        assert PROTOCOL in shown, url
    assert _bare(shown) == []


def test_typed_text_fields_take_the_direction_of_what_is_typed(
    client: FlaskClient, case_url: str
) -> None:
    page = client.get("/cases/new").get_data(as_text=True)
    for name in ("patient_name", "history", "clinical_question", "referrer_clinician"):
        tag = re.search(rf'<(?:input|textarea)\b[^>]*\bname="{name}"[^>]*>', page)
        assert tag is not None and 'dir="auto"' in tag.group(0), name
