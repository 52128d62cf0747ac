"""After a tick, an untick or a RIS save the catch-up page comes back with the next thing to do
focused (chosen by the server, so without JavaScript too); opened from a scan it focuses nothing."""

from __future__ import annotations

from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from webapp.catchup.shown import STALE_PAGE

from .catchup_support import book, close_incident, incident_ended, save_accession, tick_all, waive
from .catchup_world_support import _close_case
from .catchup_world_support import world as world  # the fixture
from .factories import referral_data

Element = dict[str, str | None]


# Elements with no end tag: nothing is inside them.
_VOID = frozenset(
    {"input", "br", "img", "meta", "link", "hr", "path", "use", "circle", "rect", "line"}
)


class _Elements(HTMLParser):
    """Each start tag with its attributes, and the text inside each element that has an id."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, Element]] = []
        self.text: dict[str, str] = {}
        self._open: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.elements.append((tag, found))
        if tag in _VOID:
            return
        self._open.append(found.get("id"))
        if found.get("id"):
            self.text.setdefault(str(found["id"]), "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID and self._open:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        for one in self._open:
            if one:
                self.text[one] += data


def _parsed(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    return parser


def _elements(page: str) -> list[tuple[str, Element]]:
    return _parsed(page).elements


def _focused(page: str) -> list[tuple[str, Element]]:
    """The page's elements marked to take the focus on opening."""
    return [(tag, attrs) for tag, attrs in _elements(page) if "autofocus" in attrs]


def _focused_one(page: str) -> tuple[str, Element]:
    focused = _focused(page)
    assert len(focused) == 1, focused
    return focused[0]


def _after(client: FlaskClient, response) -> str:  # type: ignore[no-untyped-def]
    """The page the action's answer sends the browser to."""
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _after_an_action(client: FlaskClient, case_id: int) -> str:
    """The page as a tick's answer opens it, for a case that nothing can be ticked on."""
    return client.get(f"/catchup/cases/{case_id}?focus=next").get_data(as_text=True)


def _is_step(element: tuple[str, Element], step: str) -> bool:
    tag, attrs = element
    return tag == "button" and attrs.get("data-step") == step


def _is_scan_next(element: tuple[str, Element]) -> bool:
    tag, attrs = element
    return tag == "a" and attrs.get("href") == "/scan" and attrs.get("id") == "scan-next"


def _description(page: str, element: tuple[str, Element]) -> str:
    """The text of what the element's aria-describedby names (each id must be on the page)."""
    text = _parsed(page).text
    ids = (element[1].get("aria-describedby") or "").split()
    assert all(one in text for one in ids), (ids, sorted(text))
    return " ".join(" ".join(text[one].split()) for one in ids)


def test_saving_the_ris_numbers_focuses_the_step_after_the_booking(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    response = client.post(f"/catchup/cases/{case_id}/ris", data={"ris_accession": "EXS1"})
    page = _after(client, response)
    focused = _focused_one(page)
    # The accession marked the case booked: the next step to do is the one after it.
    assert _is_step(focused, "exam_completed")
    # Announced with the focused step: what was saved, and marked.
    assert "RIS-numren är sparade och ”Bokad i RIS” är markerat som klart." in _description(
        page, focused
    )


def test_a_save_that_could_not_mark_the_booking_focuses_it_with_why(
    client: FlaskClient, world
) -> None:
    case_id = world["ids"][0]
    data = {"ris_accession": "EXS1", "shown": "0.0.0.0.0.0"}
    page = _after(client, client.post(f"/catchup/cases/{case_id}/ris", data=data))
    focused = _focused_one(page)
    assert _is_step(focused, "booked")
    assert "Steget är inte markerat" in _description(page, focused)


def test_a_tick_focuses_the_next_unticked_step(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    book(client, case_id)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "exam_completed", "is_done": "1"}
    )
    page = _after(client, response)
    focused = _focused_one(page)
    assert _is_step(focused, "images_matched")
    assert "Undersökningen klarmarkerad i RIS" in _description(page, focused)


def test_an_untick_focuses_the_first_unticked_step(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    book(client, case_id)
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "exam_completed", "is_done": "1"})
    # Confirmed: the completion, done on the booking, is undone with it.
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "booked", "is_done": "0", "confirm_uncheck": "1"},
    )
    page = _after(client, response)
    assert _is_step(_focused_one(page), "booked")


def test_the_last_tick_focuses_scan_next(client: FlaskClient, world) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    client.post(f"/catchup/cases/{case_id}/steps", data={"step": "correction_list", "is_done": "0"})
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "correction_list", "is_done": "1"}
    )
    page = _after(client, response)
    focused = _focused_one(page)
    assert _is_scan_next(focused)
    assert "Lagd på radiologens korr-lista" in _description(page, focused)


def test_a_page_opened_from_a_scan_focuses_nothing(client: FlaskClient, world) -> None:
    """The secretary reads the paper and the page first; Tab starts at the top."""
    case_id = world["ids"][0]
    save_accession(client, case_id)
    response = client.get(f"/scan?code={world['codes'][0]}")
    assert _focused(_after(client, response)) == []


def test_a_checked_case_focuses_scan_next_after_the_check(
    app: Flask, client: FlaskClient, auth, world
) -> None:
    case_id = world["ids"][0]
    tick_all(client, case_id)
    auth.logout()
    auth.login("secretary", username="sek2")
    page = _after(client, client.post(f"/catchup/cases/{case_id}/verify"))
    assert _is_scan_next(_focused_one(page))


def test_a_waived_case_focuses_scan_next(client: FlaskClient, auth, world) -> None:
    case_id = world["ids"][1]
    waive(client, auth, case_id, "Remitterad vidare")
    assert _is_scan_next(_focused_one(_after_an_action(client, case_id)))


def test_a_cancelled_case_focuses_scan_next(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/cancel", data={"reason": "Dubblett av annan remiss"})
    auth.logout()
    auth.login("secretary")
    case_id = int(location.rsplit("/", 1)[-1])
    assert _is_scan_next(_focused_one(_after_an_action(client, case_id)))


def test_a_closed_incident_focuses_nothing(app: Flask, client: FlaskClient, auth, world) -> None:
    """Nothing can be ticked once the incident has ended: the page opens at its top, where it
    says so."""
    first, second = world["ids"]
    waive(client, auth, second, "Remitterad vidare")
    _close_case(client, auth, app, first)
    close_incident(client, auth, world["incident_id"], confirm_unfaxed="y")
    assert incident_ended(app, world["incident_id"])
    auth.logout()
    auth.login("secretary")
    for case_id in (first, second):
        page = _after_an_action(client, case_id)
        assert _focused(page) == []
        assert 'id="scan-next"' not in page


def test_a_refused_tick_focuses_its_step(client: FlaskClient, world) -> None:
    """The refusal stands beside the step: the focused step is described by it, and the browser
    brings it into view (the form's address names no #steps, which would cancel the focus)."""
    case_id = world["ids"][0]
    book(client, case_id)
    # Ticked from a page drawn before the case last changed (the token it showed is not now's).
    response = client.post(
        f"/catchup/cases/{case_id}/steps",
        data={"step": "report_keyed", "is_done": "1", "shown": "older"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    focused = _focused_one(page)
    assert _is_step(focused, "report_keyed")
    assert STALE_PAGE in _description(page, focused)
    actions = {
        attrs.get("action")
        for tag, attrs in _elements(page)
        if tag == "form" and (attrs.get("action") or "").endswith("/steps")
    }
    assert actions == {f"/catchup/cases/{case_id}/steps"}


def test_a_preliminary_report_ticked_unconfirmed_focuses_the_box_to_confirm_it(
    client: FlaskClient, world
) -> None:
    """What the refusal asks for is the box beside the step, one Shift+Tab back from it: the box
    takes the focus, described by the refusal."""
    case_id = world["ids"][1]  # its report is only preliminary
    book(client, case_id)
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "report_keyed", "is_done": "1"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    tag, attrs = focused = _focused_one(page)
    assert (tag, attrs.get("type"), attrs.get("name")) == (
        "input",
        "checkbox",
        "confirm_preliminary",
    )
    assert "Bekräfta att det ska läggas in som preliminärt" in _description(page, focused)


def test_a_refused_ris_save_leaves_the_focus_to_the_error_summary(
    client: FlaskClient, world
) -> None:
    first, second = world["ids"]
    save_accession(client, first, "EXS10000001")
    response = client.post(f"/catchup/cases/{second}/ris", data={"ris_accession": "EXS10000001"})
    assert response.status_code == 400
    assert _focused(response.get_data(as_text=True)) == []


def test_a_tick_refused_on_a_waived_case_focuses_the_refusal(
    client: FlaskClient, auth, world
) -> None:
    """Waived meanwhile, the case's steps are disabled and cannot take the focus: the refusal
    beside the step does."""
    case_id = world["ids"][0]
    save_accession(client, case_id)
    waive(client, auth, case_id, "Remitterad vidare")
    response = client.post(
        f"/catchup/cases/{case_id}/steps", data={"step": "booked", "is_done": "1"}
    )
    assert response.status_code == 409
    tag, attrs = _focused_one(response.get_data(as_text=True))
    assert (tag, attrs.get("id"), attrs.get("tabindex")) == ("p", "step-booked-note", "-1")


def test_a_refused_check_focuses_its_refusal_beside_the_check(client: FlaskClient, world) -> None:
    """Flashed at the top with "Skanna nästa" focused, the refusal was out of view, and Enter
    went on to the next paper with the case unchecked."""
    case_id = world["ids"][0]
    tick_all(client, case_id)
    # The secretary who keyed the case may not check it (four eyes).
    response = client.post(f"/catchup/cases/{case_id}/verify")
    assert response.status_code == 409, response.status_code
    page = response.get_data(as_text=True)
    tag, attrs = _focused_one(page)
    assert (tag, attrs.get("id")) == ("p", "verify-error")
    assert "någon annan än den som registrerade" in _parsed(page).text["verify-error"]
