"""A routine's ticks stay with the item they were made for when the admin edits the routine
while the outage runs; a tick of an item since removed is shown as such."""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.models import Incident, IncidentLogEntry, User
from webapp.siteconfig import SiteConfigError, parse_site_config

from .factories import declare_incident
from .routines_support import make_case, transfer_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
REVIEWER_LIST = """checklist = [
  "Extern granskare kontaktad",
  "IT-support kontaktad",
  "Nattsjuksköterskan vet vem som är jourhavande radiolog",
]"""
FIRST = "Extern granskare kontaktad"
SECOND = "IT-support kontaktad"
THIRD = "Nattsjuksköterskan vet vem som är jourhavande radiolog"
INSERTED = "Jourhavande radiolog informerad"
REMOVED_HEADING = "Avbockat men inte längre i rutinen"


def _items(page: str) -> dict[str, bool]:
    """Each checklist item shown, and whether it is shown as done."""
    found = re.findall(
        r'<li class="check-item( done)?">.*?<span class="tick-label">(.*?)</span>', page, re.S
    )
    return {html.unescape(label): bool(done) for done, label in found}


def _key_of(page: str, label: str) -> str:
    """The hidden key posted by the tick of this item."""
    for form in re.findall(r"<form.*?</form>", page, re.S):
        if f'<span class="tick-label">{label}</span>' in html.unescape(form):
            return re.findall(r'name="(?:key|item)" value="([^"]*)"', form)[-1]
    raise AssertionError(f"no tick for {label}")


def _save(client: FlaskClient, auth, text: str) -> None:
    auth.login("admin")
    saved = client.post("/admin/site", data={"config_toml": text})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    auth.login("radiographer")


def _reviewer_list(*items: str) -> str:
    return EXAMPLE.replace(
        REVIEWER_LIST, "checklist = [\n" + "".join(f'  "{i}",\n' for i in items) + "]"
    )


def test_a_reviewer_tick_stays_with_its_item_when_one_is_inserted_above(
    client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    page = client.get("/routines/reviewer").get_data(as_text=True)
    client.post("/routines/reviewer/steps", data={"key": _key_of(page, SECOND), "is_done": "1"})
    _save(client, auth, _reviewer_list(INSERTED, FIRST, SECOND, THIRD))
    items = _items(client.get("/routines/reviewer").get_data(as_text=True))
    assert items[SECOND] is True
    assert items[FIRST] is False and items[INSERTED] is False


def test_a_reviewer_tick_of_an_item_removed_meanwhile_is_shown_as_removed(
    client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    page = client.get("/routines/reviewer").get_data(as_text=True)
    client.post("/routines/reviewer/steps", data={"key": _key_of(page, THIRD), "is_done": "1"})
    _save(client, auth, _reviewer_list(FIRST, SECOND))
    page = html.unescape(client.get("/routines/reviewer").get_data(as_text=True))
    assert _items(page) == {FIRST: False, SECOND: False, "Meddelandet är skickat": False}
    removed = page.split(REMOVED_HEADING, 1)[1].split("</ul>", 1)[0]
    assert THIRD in removed


def test_a_reviewer_tick_stored_by_place_counts_for_the_item_its_label_names(
    app: Flask, client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    with app.app_context():
        # As ticks were stored before: the third item's place, and its text as the label.
        incident_id = db.session.scalar(select(Incident.id))
        user_id = db.session.scalar(select(User.id).where(User.username == "test-radiographer"))
        assert incident_id is not None and user_id is not None
        db.session.add(
            IncidentLogEntry(
                incident_id=incident_id, step_key="reviewer_2", label=THIRD, user_id=user_id
            )
        )
        db.session.commit()
    _save(client, auth, _reviewer_list(INSERTED, FIRST, SECOND, THIRD))
    items = _items(client.get("/routines/reviewer").get_data(as_text=True))
    assert items[THIRD] is True
    assert items[SECOND] is False


def test_a_troubleshooting_tick_stays_with_its_item_when_one_is_inserted_above(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    ticked = "Länkdatorn är ur funktion eller avstängd."
    page = client.get(url).get_data(as_text=True)
    client.post(
        url + "/checks", data={"list_key": "send", "item": _key_of(page, ticked), "is_done": "1"}
    )
    inserted = "Strömmen till serverrummet är bruten."
    _save(
        client,
        auth,
        EXAMPLE.replace("problems_sending = [\n", f'problems_sending = [\n  "{inserted}",\n', 1),
    )
    items = _items(client.get(url).get_data(as_text=True))
    assert items[ticked] is True
    assert items[inserted] is False and items["Avsändande dator är ur funktion."] is False


def test_a_troubleshooting_tick_of_an_item_removed_meanwhile_is_shown_as_removed(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    ticked = "Länkdatorn är ur funktion eller avstängd."
    page = client.get(url).get_data(as_text=True)
    client.post(
        url + "/checks", data={"list_key": "send", "item": _key_of(page, ticked), "is_done": "1"}
    )
    _save(client, auth, EXAMPLE.replace(f'  "{ticked}",\n', "", 1))
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert ticked not in _items(page)
    assert ticked in page.split(REMOVED_HEADING, 1)[1].split("</ul>", 1)[0]


def test_a_notification_ticked_and_then_removed_from_the_routine_is_shown_as_removed(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    incident_id = declare_incident(client, "om_ris")
    client.post(f"/incidents/{incident_id}/steps", data={"step_key": "it_called", "is_done": "1"})
    at = EXAMPLE.index("[scenarios.om_ris]")
    it_called = '  { key = "it_called", label = "IT-support kontaktad" },\n'
    _save(client, auth, EXAMPLE[:at] + EXAMPLE[at:].replace(it_called, "", 1))
    page = html.unescape(client.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert "IT-support kontaktad" not in _items(page)
    assert "IT-support kontaktad" in page.split(REMOVED_HEADING, 1)[1].split("</ul>", 1)[0]


@pytest.mark.parametrize("key", ["step0", "step:1a2b", "reviewer_0", "reviewer:x"])
def test_a_notification_keyed_as_the_app_keys_steps_or_reviewer_items_is_refused(
    key: str,
) -> None:
    text = EXAMPLE.replace('key = "tib_restored"', f'key = "{key}"', 1)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(text)
    assert f"nyckeln {key} har samma form som programmets egna nycklar" in str(refused.value)


@pytest.mark.parametrize(
    "key", ["steward_called", "stepped_down", "reviewer_contacted", "callback", "call_tib"]
)
def test_a_notification_key_that_only_begins_alike_is_accepted(key: str) -> None:
    text = EXAMPLE.replace('key = "tib_restored"', f'key = "{key}"', 1)
    config = parse_site_config(text)
    assert key in {n.key for n in config.scenarios["om_ris"].follow_up}


def test_the_site_page_refuses_a_key_like_a_step_next_to_the_field_keeping_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = EXAMPLE.replace('key = "it_called"', 'key = "step0"', 1)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    errors = re.findall(r'class="error"[^>]*>(.*?)</p>', page, re.S)
    assert any("nyckeln step0 har samma form" in e for e in errors), errors
    assert 'key = "step0"' in page


def test_a_checklist_item_listed_twice_is_refused_and_a_stored_one_still_loads() -> None:
    # One key per text: a tick of either copy would show on both.
    twice = _reviewer_list(FIRST, SECOND, FIRST)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(twice)
    assert f"punkten ”{FIRST}” står två gånger" in str(refused.value)
    stored = parse_site_config(twice, strict=False)
    assert stored.routines.external_reviewer.checklist == (FIRST, SECOND, FIRST)


def test_a_troubleshooting_item_listed_twice_is_refused() -> None:
    config = parse_site_config(EXAMPLE)
    item = config.routines.transfer.problems_sending[0]
    twice = EXAMPLE.replace("problems_sending = [\n", f'problems_sending = [\n  "{item}",\n', 1)
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(twice)
    assert "problems_sending" in str(refused.value) and "står två gånger" in str(refused.value)


def test_a_reviewer_tick_of_an_item_reworded_meanwhile_says_the_checklist_changed(
    client: FlaskClient, auth
) -> None:
    make_case(client, auth)
    auth.login("radiographer")
    key = _key_of(client.get("/routines/reviewer").get_data(as_text=True), THIRD)
    _save(client, auth, _reviewer_list(FIRST, SECOND, "Nattsjuksköterskan vet vem som har jouren"))
    response = client.post(
        "/routines/reviewer/steps", data={"key": key, "is_done": "1"}, follow_redirects=True
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Checklistan har ändrats sedan sidan öppnades, så punkten bockades inte av." in page
    assert "Steget kunde inte sparas." not in page
    assert not any(_items(page).values())


def test_a_troubleshooting_tick_of_an_item_reworded_meanwhile_says_the_list_changed(
    client: FlaskClient, auth
) -> None:
    auth.login("radiographer")
    url = client.post("/routines/transfers/new", data=transfer_data()).headers["Location"]
    ticked = "Länkdatorn är ur funktion eller avstängd."
    key = _key_of(client.get(url).get_data(as_text=True), ticked)
    _save(client, auth, EXAMPLE.replace(ticked, "Länkdatorn är avstängd.", 1))
    response = client.post(
        url + "/checks",
        data={"list_key": "send", "item": key, "is_done": "1"},
        follow_redirects=True,
    )
    page = html.unescape(response.get_data(as_text=True))
    assert "Listan har ändrats sedan sidan öppnades, så punkten bockades inte av." in page
    assert not any(_items(page).values())
