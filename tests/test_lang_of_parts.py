"""On English pages, Swedish text written by staff or the site is marked as Swedish (WCAG 3.1.2).

A screen reader set to English reads "Blödning? Fall i hemmet." with English sounds unless the
element says it is Swedish; on Swedish pages the page's own lang already says so.
"""

from __future__ import annotations

from html.parser import HTMLParser

from flask.testing import FlaskClient

from .factories import exam_data, referral_data, report_data

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _LangOf(HTMLParser):
    """The language in force where each piece of text stands: the nearest lang around it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None]] = []
        self.texts: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.stack.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip():
            langs = [lang for _, lang in self.stack if lang is not None]
            self.texts.append((data.strip(), langs[-1] if langs else None))


def lang_of(page: str, text: str) -> set[str | None]:
    """The languages every occurrence of the text is read in."""
    parser = _LangOf()
    parser.feed(page)
    found = {lang for data, lang in parser.texts if text in data}
    assert found, f"{text!r} is not on the page"
    return found


QUESTION = "Blödning? Fall i hemmet."
NOTES = "Serie 3 omtagen, patienten rörde sig."
FINDINGS = "Ingen blödning. Inga frakturer."


def _case(client: FlaskClient, auth) -> str:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    location = client.post("/cases/new", data=referral_data(clinical_question=QUESTION))
    url = location.headers["Location"]
    assert client.post(url + "/exam", data=exam_data(notes=NOTES)).status_code == 302
    return url


def test_the_case_page_in_english_marks_the_staffs_swedish_text(client: FlaskClient, auth) -> None:
    url = _case(client, auth)
    client.post("/language", data={"lang": "en"})
    page = client.get(url).get_data(as_text=True)
    assert lang_of(page, QUESTION) == {"sv"}
    assert lang_of(page, NOTES) == {"sv"}
    # The page's own words stay English.
    assert lang_of(page, "Clinical question") == {"en"}


def test_the_case_page_in_swedish_needs_no_marks_of_its_own(client: FlaskClient, auth) -> None:
    url = _case(client, auth)
    page = client.get(url).get_data(as_text=True)
    assert lang_of(page, QUESTION) == {"sv"}
    assert 'lang="sv"' not in page.split("<html", 1)[1].split(">", 1)[1]


def test_the_reporting_screen_in_english_marks_the_report_and_the_referral(
    client: FlaskClient, auth
) -> None:
    url = _case(client, auth)
    auth.login("radiologist")
    reporting = url.replace("/cases/", "/reporting/")
    saved = client.post(
        reporting, data=report_data("definitive", "l" * 20, findings=FINDINGS, version="")
    )
    assert saved.status_code == 302
    client.post("/language", data={"lang": "en"})
    page = client.get(reporting).get_data(as_text=True)
    assert lang_of(page, QUESTION) == {"sv"}
    assert lang_of(page, NOTES) == {"sv"}
    case_page = client.get(url).get_data(as_text=True)
    assert lang_of(case_page, FINDINGS) == {"sv"}


def test_the_incident_page_in_english_marks_the_sites_routine(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    swedish = client.get(location).get_data(as_text=True)
    client.post("/language", data={"lang": "en"})
    page = client.get(location).get_data(as_text=True)
    # The example site's PACS scenario: what still works and its first step, in Swedish.
    assert lang_of(page, "Remisser kommer elektroniskt") == {"sv"}
    step = swedish.split('class="tick-label">', 1)[1].split("<", 1)[0].strip()
    assert step and lang_of(page, step) == {"sv"}
    # The tick's state is the app's word, in English.
    assert lang_of(page, "Not done") == {"en"}
