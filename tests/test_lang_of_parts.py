"""On English pages, Swedish text written by staff or the site is marked as Swedish (WCAG 3.1.2).

A screen reader set to English reads "Blödning? Fall i hemmet." with English sounds unless the
element says it is Swedish; on Swedish pages the page's own lang already says so.
"""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import ReservedCode, Site
from webapp.sites import save_site_config

from .factories import exam_data, referral_data, report_data
from .test_routine_ticks_config_edit import FIRST, SECOND, THIRD, _key_of, _reviewer_list, _save

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


EXAM = "DT hjärna utan kontrast"


def _in_english(client: FlaskClient, url: str) -> str:
    client.post("/language", data={"lang": "en"})
    return client.get(url).get_data(as_text=True)


def test_the_board_in_english_marks_the_catalogues_exam_and_priority(
    client: FlaskClient, auth
) -> None:
    _case(client, auth)
    page = _in_english(client, "/board/")
    assert lang_of(page, EXAM) == {"sv"}
    assert lang_of(page, "Akut") == {"sv"}
    # The case's state is the app's word, in English.
    assert lang_of(page, "Examination done") == {"en"}


def test_the_case_page_in_english_marks_the_catalogues_names(client: FlaskClient, auth) -> None:
    url = _case(client, auth)
    page = _in_english(client, url)
    assert lang_of(page, EXAM) == {"sv"}
    assert lang_of(page, "Datortomografi") == {"sv"}
    assert lang_of(page, "Examination performed") == {"en"}


def test_the_worklist_and_reporting_screen_in_english_mark_the_exam(
    client: FlaskClient, auth
) -> None:
    url = _case(client, auth)
    auth.login("radiologist")
    assert lang_of(_in_english(client, "/reporting/"), EXAM) == {"sv"}
    page = client.get(url.replace("/cases/", "/reporting/")).get_data(as_text=True)
    assert lang_of(page, EXAM) == {"sv"}


def test_the_report_template_editor_in_english_marks_the_catalogues_exams(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    page = _in_english(client, "/reporting/templates/new")
    assert lang_of(page, EXAM) == {"sv"}
    assert lang_of(page, "Lungröntgen") == {"sv"}


IT_HOURS = 'hours = ["mon-fri 07:00-17:00"]\nfallback = "it_jour"'


def _it_support_hours(app: Flask, hours: str) -> None:
    """The example site's IT support open only in these hours, IT on call after them."""
    with app.app_context():
        site = db.session.get(Site, 1)
        assert site is not None and IT_HOURS in site.config_toml
        text = site.config_toml.replace(IT_HOURS, IT_HOURS.replace("mon-fri 07:00-17:00", hours))
        save_site_config(site.id, text, None)


def _pacs_incident_in_english(client: FlaskClient, auth) -> str:
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    return _in_english(client, location)


def test_the_sites_contacts_in_english_are_marked_but_not_the_apps_words(
    app: Flask, client: FlaskClient, auth
) -> None:
    _it_support_hours(app, "mon-sun 00:00-24:00")
    page = _pacs_incident_in_english(client, auth)
    assert lang_of(page, "IT-support (servicedesk)") == {"sv"}
    assert lang_of(page, "Välj 2, sedan 1 för vårdsystem") == {"sv"}
    assert lang_of(page, "mån–sön 00:00–24:00") == {"sv"}
    assert lang_of(page, "Open") == {"en"}


def test_a_closed_contact_named_in_an_english_sentence_is_marked_alone(
    app: Flask, client: FlaskClient, auth
) -> None:
    # Open only in the first minute of the day after tomorrow: closed now, IT on call instead.
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[(date.today().weekday() + 2) % 7]
    _it_support_hours(app, f"{day} 00:00-00:01")
    page = _pacs_incident_in_english(client, auth)
    assert lang_of(page, "IT-beredskap") == {"sv"}
    assert lang_of(page, "IT-support (servicedesk)") == {"sv"}
    assert lang_of(page, "is closed now") == {"en"}


def test_the_reviewer_routine_in_english_marks_the_sites_lists(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    page = _in_english(client, "/routines/reviewer")
    assert lang_of(page, "Extern granskare kontaktad") == {"sv"}
    assert lang_of(page, "granskaren ringer röntgen") == {"sv"}
    assert lang_of(page, "Teleradiologidestination i PACS") == {"sv"}
    assert lang_of(page, "Jourhavande radiolog") == {"sv"}
    # The app's own tick, in English.
    assert lang_of(page, "The message has been sent") == {"en"}


def test_the_transfer_page_in_english_marks_the_sites_checklists(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "image_transfer"})
    location = client.post(
        "/routines/transfers/new",
        data={
            "direction": "send",
            "counterpart": "grannby_us",
            "urgency": "akut",
            "exam_text": EXAM,
            "patient_ref": "19121212-1212",
            "patient_name": "Tolvan Tolvansson",
        },
    ).headers["Location"]
    page = _in_english(client, location)
    assert lang_of(page, "Starta om länkdatorn och försök igen.") == {"sv"}
    assert lang_of(page, "Länkdatorn är ur funktion eller avstängd.") == {"sv"}
    assert lang_of(page, "Central länkdator för överföring") == {"sv"}
    assert lang_of(page, EXAM) == {"sv"}
    assert lang_of(page, "Leverantörens support (överföring)") == {"sv"}
    listed = client.get("/routines/transfers").get_data(as_text=True)
    assert lang_of(listed, EXAM) == {"sv"}
    assert lang_of(listed, "Grannby universitetssjukhus") == {"sv"}


def test_the_follow_up_in_english_marks_the_scenarios_notifications(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    location = client.post("/incidents/new", data={"scenario": "pacs"}).headers["Location"]
    client.post(location + "/steps", data={"step_key": "it_called", "is_done": "1"})
    auth.login("admin")
    page = _in_english(client, location + "/followup")
    assert lang_of(page, "IT-support kontaktad") == {"sv"}
    assert lang_of(page, "TiB informerad (informerar avdelningarna)") == {"sv"}
    # The counts per the site's priorities and modalities, by the site's names.
    assert lang_of(page, "Inom timmar") == {"sv"}
    assert lang_of(page, "Datortomografi") == {"sv"}
    assert lang_of(page, "Not done") == {"en"}


def test_the_drafts_list_in_english_marks_the_exam_of_a_drafts_case(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "pacs"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    case_id = location.rsplit("/", 1)[-1]
    client.put(
        "/api/drafts/draftkey-" + "l" * 16,
        json={"kind": "exam", "seq": 1, "case_id": case_id, "data": exam_data(notes=NOTES)},
    )
    page = _in_english(client, "/drafts")
    assert lang_of(page, EXAM) == {"sv"}


def test_a_blanks_case_choice_in_english_marks_the_exam(
    app: Flask, client: FlaskClient, auth
) -> None:
    _case(client, auth)
    auth.login("admin")
    client.post("/blanks/reserve", data={"doc_kind": "BLD", "count": "1"})
    with app.app_context():
        code = db.session.scalars(select(ReservedCode.code)).one()
    auth.login("radiographer")
    client.post("/language", data={"lang": "en"})
    page = client.post(f"/blanks/{code}/attach", data={"typed": "19121212-1212"})
    assert lang_of(page.get_data(as_text=True), EXAM) == {"sv"}


def test_a_tick_of_a_routine_item_removed_since_is_marked_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "external_reviewer"})
    page = client.get("/routines/reviewer").get_data(as_text=True)
    client.post("/routines/reviewer/steps", data={"key": _key_of(page, THIRD), "is_done": "1"})
    _save(client, auth, _reviewer_list(FIRST, SECOND))
    page = _in_english(client, "/routines/reviewer")
    assert lang_of(page, THIRD) == {"sv"}
    assert lang_of(page, "Done") == {"en"}


def test_the_access_log_in_english_marks_the_events_details(client: FlaskClient, auth) -> None:
    auth.login("admin")
    client.post("/logout")
    client.post("/login", data={"username": "test-admin", "secret": "999999"})
    auth.login("admin")
    client.post("/language", data={"lang": "en"})
    page = client.get("/admin/audit").get_data(as_text=True)
    # Written by the app in Swedish and kept as written: the log is a record, not a page text.
    assert lang_of(page, "fel PIN/lösenord") == {"sv"}
    assert lang_of(page, "Time") == {"en"}
