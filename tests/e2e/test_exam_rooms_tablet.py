"""The exam form's room list offers the rooms of the chosen modality only."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .conftest import login
from .seed import akut_case, seed_case


def _offered(page: Page) -> list[str]:
    return page.locator("#room option:not([hidden])").all_inner_texts()


def test_the_room_list_follows_the_modality_and_keeps_a_room_already_chosen(
    page: Page, live_server
) -> None:
    base = live_server.url
    seeded = seed_case(live_server.app)
    case_id = akut_case(live_server.app, seeded["incident_id"])
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{case_id}/exam")
    modality, room = page.locator("#modality"), page.locator("#room")

    expect(modality).to_have_value("CT")
    assert _offered(page) == ["–", "DT 1 (CT)", "DT 2 (CT)"]
    modality.select_option("")
    assert "Lab 1 (CR)" in _offered(page) and "MR 1 (MR)" in _offered(page)
    modality.select_option("CR")
    room.select_option("Lab 1")
    # Changed after the room was chosen: the room stays, chosen, until another is picked.
    modality.select_option("CT")
    expect(room).to_have_value("Lab 1")
    assert _offered(page) == ["–", "Lab 1 (CR)", "DT 1 (CT)", "DT 2 (CT)"]
    room.select_option("DT 2")
    assert _offered(page) == ["–", "DT 1 (CT)", "DT 2 (CT)"]


def _state(page: Page) -> dict[str, tuple[bool, bool]]:
    pairs = page.locator("#room option").evaluate_all(
        "os => os.map(o => [o.textContent.trim(), o.hidden, o.disabled])"
    )
    return {text: (hidden, disabled) for text, hidden, disabled in pairs}


def test_rooms_of_other_modalities_cannot_be_chosen_where_hidden_options_still_show(
    page: Page, live_server
) -> None:
    # iOS Safari before 17 lists a hidden option anyway: disabled, it cannot be chosen there.
    base = live_server.url
    seeded = seed_case(live_server.app)
    case_id = akut_case(live_server.app, seeded["incident_id"])
    login(page, base, "seed-rsk")
    page.goto(f"{base}/cases/{case_id}/exam")
    modality, room = page.locator("#modality"), page.locator("#room")

    state = _state(page)
    assert state["Lab 1 (CR)"] == (True, True) and state["MR 1 (MR)"] == (True, True)
    assert state["DT 1 (CT)"] == (False, False) and state["–"] == (False, False)
    modality.select_option("CR")
    room.select_option("Lab 1")
    modality.select_option("CT")
    # The room chosen before the modality changed stays chosen, and can be sent as it is.
    expect(room).to_have_value("Lab 1")
    state = _state(page)
    assert state["Lab 1 (CR)"] == (False, False)
    assert state["MR 1 (MR)"] == (True, True)
    room.select_option("DT 2")
    assert _state(page)["Lab 1 (CR)"] == (True, True)
    modality.select_option("")
    assert not any(hidden or disabled for hidden, disabled in _state(page).values())
