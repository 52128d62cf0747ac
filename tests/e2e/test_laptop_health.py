"""A tablet is told when the laptop is unplugged or nearly flat, and a board left open learns of
it without a tap."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from ..laptop_support import unplugged
from .conftest import check_accessibility, login
from .seed import seed_case


def test_a_board_left_open_announces_the_laptop_running_flat(
    page: Page, live_server, live_app
) -> None:
    seed_case(live_app, sign="")
    power = Path(live_app.config["POWER_SUPPLY_ROOT"])
    unplugged(power, 23)
    login(page, live_server.url, "seed-rsk")
    page.clock.install()
    page.goto(f"{live_server.url}/board/")
    expect(page.locator(".board-row")).to_have_count(1)
    laptop = page.get_by_role("region", name="Datorn")
    expect(laptop.get_by_role("status")).to_have_text(
        "Datorns batteri börjar ta slut (23 %) – anslut laddaren nu"
    )
    expect(laptop.get_by_role("alert")).to_have_count(0)
    check_accessibility(page, every_impact=True)

    (power / "BAT0" / "capacity").write_text("8\n", encoding="ascii")
    live_app.config["LAPTOP_HEALTH_SECONDS"] = 0  # the next reading, not in half a minute
    page.clock.run_for(10_000)  # the board's own refresh
    expect(laptop.get_by_role("alert")).to_have_text(
        "Datorns batteri är nästan tomt (8 %) – anslut laddaren nu, annars stängs datorn av"
    )
    expect(page.locator(".board-row")).to_have_count(1)
    check_accessibility(page, every_impact=True)

    (power / "AC" / "online").write_text("1\n", encoding="ascii")
    page.clock.run_for(10_000)
    expect(page.get_by_role("region", name="Datorn")).to_have_count(0)
    expect(page.locator(".board-row")).to_have_count(1)
