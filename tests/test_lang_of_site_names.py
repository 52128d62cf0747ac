"""On English pages, the site's names (modalities, rooms, priorities, scenarios, routes) and the
referrer's unit typed by staff are marked as Swedish (WCAG 3.1.2), on Swedish pages nothing is.

The forms' choices carry the mark on the <option> itself; the page's own words stay English.
"""

from __future__ import annotations

from flask.testing import FlaskClient

from .factories import declare_incident, exam_data, referral_data, report_data
from .routines_support import make_case
from .test_lang_of_parts import _LangOf, lang_of


def _in_english(client: FlaskClient, url: str) -> str:
    client.post("/language", data={"lang": "en"})
    return client.get(url).get_data(as_text=True)


def _no_marks(page: str) -> None:
    """A Swedish page marks nothing itself: its own lang already says so."""
    assert 'lang="sv"' not in page.split("<html", 1)[1].split(">", 1)[1]


def _langs_where(page: str, *texts: str) -> set[str | None]:
    """The languages every occurrence of any of the texts is read in; at least one is there."""
    parser = _LangOf()
    parser.feed(page)
    found = {lang for data, lang in parser.texts if any(t in data for t in texts)}
    assert found, f"none of {texts!r} is on the page"
    return found


def test_the_referral_forms_modalities_and_priorities_are_marked_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client, "pacs")
    _no_marks(client.get("/cases/new").get_data(as_text=True))
    page = _in_english(client, "/cases/new")
    assert '<option lang="sv" value="CT">' in page or 'value="CT" lang="sv"' in page
    assert lang_of(page, "Datortomografi") == {"sv"}
    assert lang_of(page, "Inom timmar") == {"sv"}
    # The prompt is the app's own word, in English.
    assert lang_of(page, "Choose a modality") == {"en"}


def test_the_exam_forms_modalities_and_rooms_are_marked_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client, "pacs")
    url = client.post("/cases/new", data=referral_data()).headers["Location"] + "/exam"
    _no_marks(client.get(url).get_data(as_text=True))
    page = _in_english(client, url)
    assert lang_of(page, "Magnetkamera") == {"sv"}
    assert lang_of(page, "Akutlab") == {"sv"}
    assert lang_of(page, "Choose a modality") == {"en"}


def test_the_incidents_titles_are_marked_in_english(client: FlaskClient, auth) -> None:
    auth.login("admin")
    declare_incident(client, "pacs")
    declare_incident(client, "total")
    for url in ("/incidents/", "/incidents/new", "/", "/board/"):
        _no_marks(client.get(url).get_data(as_text=True))
    # The list, the declare page (the outages running and the scenarios to choose), the start
    # page's cards and the board's banner of the other outage running.
    for url in ("/incidents/", "/incidents/new", "/", "/board/"):
        page = _in_english(client, url)
        assert _langs_where(page, "PACS nere", "Totalt avbrott") == {"sv"}, url
    declare = _in_english(client, "/incidents/new")
    assert lang_of(declare, "Bildöverföring till annan region nere") == {"sv"}
    assert lang_of(declare, "What has stopped working?") == {"en"}


def test_a_real_outage_beside_a_drill_is_marked_in_english(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    declare_incident(client, "pacs")
    declare_incident(client, "total", drill=True)
    page = _in_english(client, "/board/")
    assert lang_of(page, "PACS nere") == {"sv"}
    assert lang_of(page, "A real outage is ongoing") == {"en"}


def test_the_referrers_unit_is_marked_in_english(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    declare_incident(client, "pacs")
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(url + "/exam", data=exam_data())
    _no_marks(client.get(url).get_data(as_text=True))
    assert lang_of(_in_english(client, url), "Akutmottagningen") == {"sv"}
    auth.login("radiologist")
    reporting = url.replace("/cases/", "/reporting/")
    assert lang_of(_in_english(client, reporting), "Akutmottagningen") == {"sv"}


def test_the_catchup_lists_priorities_are_marked_in_english(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "integration")
    url = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(url + "/exam", data=exam_data())
    auth.login("radiologist")
    client.post(url.replace("/cases/", "/reporting/"), data=report_data("definitive", "d" * 20))
    auth.login("secretary")
    batch = f"/catchup/incidents/{incident_id}"
    _no_marks(client.get(batch).get_data(as_text=True))
    page = _in_english(client, batch)
    assert lang_of(page, "Akut") == {"sv"}
    assert lang_of(page, "Integrationsmotorn nere") == {"sv"}


def test_the_reviewer_logs_route_is_marked_but_not_its_outcome(client: FlaskClient, auth) -> None:
    case_id = make_case(client, auth)
    auth.login("radiographer")
    client.post(
        f"/routines/reviewer/cases/{case_id}/route",
        data={"route-route_key": "teleradiology", "route-outcome": "failed"},
    )
    page = _in_english(client, f"/routines/reviewer/cases/{case_id}")
    assert lang_of(page, "Teleradiologidestination i PACS") == {"sv"}
    # The log's outcome after the route's name is the app's word.
    assert lang_of(page, ": failed") == {"en"}


def test_a_route_not_working_marks_its_name_and_note_but_not_the_words_between(
    client: FlaskClient, auth
) -> None:
    case_id = make_case(client, auth)
    auth.login("admin")
    client.post(
        "/routines/reviewer/routes/postprocessing",
        data={"is_working": "0", "note": "Trasig sedan maj."},
    )
    url = f"/routines/reviewer/cases/{case_id}"
    swedish = client.get(url).get_data(as_text=True)
    _no_marks(swedish)
    assert "Via efterbehandlingsstationen – fungerar inte: Trasig sedan maj." in swedish
    page = _in_english(client, url)
    assert lang_of(page, "Via efterbehandlingsstationen") == {"sv"}
    assert lang_of(page, "Trasig sedan maj.") == {"sv"}
    assert lang_of(page, "not working:") == {"en"}


def test_the_transfer_forms_hospitals_and_priorities_are_marked_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    declare_incident(client, "image_transfer")
    _no_marks(client.get("/routines/transfers/new").get_data(as_text=True))
    page = _in_english(client, "/routines/transfers/new")
    assert _langs_where(page, "Grannby universitetssjukhus") == {"sv"}
    assert lang_of(page, "Inom timmar") == {"sv"}
    assert lang_of(page, "Choose hospital") == {"en"}


def test_the_report_template_editors_modalities_are_marked_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    _no_marks(client.get("/reporting/templates/new").get_data(as_text=True))
    page = _in_english(client, "/reporting/templates/new")
    assert lang_of(page, "Ultraljud") == {"sv"}


def test_a_routes_own_page_is_headed_by_its_marked_name_in_english(
    client: FlaskClient, auth
) -> None:
    auth.login("admin")
    declare_incident(client, "external_reviewer")
    _no_marks(client.get("/routines/reviewer/routes/postprocessing").get_data(as_text=True))
    page = _in_english(client, "/routines/reviewer/routes/postprocessing")
    # The document's <title> holds no markup; the heading in the page is what is read.
    main = page.split("<main", 1)[1]
    assert _langs_where(main, "Via efterbehandlingsstationen") == {"sv"}
