"""Staff are told on every page when the laptop runs on battery or its disk fills up, and the
admin screen shows the laptop's power and disk."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.laptop_health import GB, MB

from .laptop_support import disk_with, supply, unplugged

ON_BATTERY = "Datorn går på batteri (64 %) – anslut laddaren"
LOW_BATTERY = "Datorns batteri börjar ta slut (23 %) – anslut laddaren nu"
EMPTY_BATTERY = "Datorns batteri är nästan tomt (8 %) – anslut laddaren nu, annars stängs datorn av"
LOW_DISK = "Diskutrymmet på datorn börjar ta slut (1,5 GB kvar) – kontakta administratören"
FULL_DISK = "Diskutrymmet på datorn är nästan slut (400 MB kvar) – kontakta administratören"


def _power(app: Flask) -> Path:
    return Path(app.config["POWER_SUPPLY_ROOT"])


def _banner(page: str) -> str:
    """The laptop's banner section of a page, or "" without one."""
    found = re.search(r'<section class="laptop-health".*?</section>', page, re.S)
    return html.unescape(found.group(0)) if found else ""


def _roles(banner: str) -> list[str]:
    return re.findall(r'role="(\w+)"', banner)


def test_a_laptop_on_mains_with_room_on_its_disk_shows_no_banner(
    app: Flask, client: FlaskClient, auth
) -> None:
    supply(_power(app), "AC", type="Mains", online="1")
    supply(_power(app), "BAT0", type="Battery", status="Charging", capacity="23")
    app.config["DISK_USAGE"] = disk_with(100 * GB)
    auth.login("radiographer")
    assert _banner(client.get("/").get_data(as_text=True)) == ""


def test_a_desktop_shows_no_banner(client: FlaskClient, auth) -> None:
    auth.login("radiographer")
    assert _banner(client.get("/").get_data(as_text=True)) == ""


@pytest.mark.parametrize("path", ["/", "/incidents/", "/drafts", "/about"])
def test_on_battery_every_page_says_so_as_a_status(
    app: Flask, client: FlaskClient, auth, path: str
) -> None:
    unplugged(_power(app), 64)
    auth.login("radiographer")
    banner = _banner(client.get(path).get_data(as_text=True))
    assert ON_BATTERY in banner
    assert _roles(banner) == ["status"]
    assert 'aria-label="Datorn"' in banner


def test_a_low_battery_is_a_status_and_an_empty_one_an_alert(
    app: Flask, client: FlaskClient, auth
) -> None:
    unplugged(_power(app), 23)
    app.config["LAPTOP_HEALTH_SECONDS"] = 0
    auth.login("radiologist")
    banner = _banner(client.get("/").get_data(as_text=True))
    assert LOW_BATTERY in banner and _roles(banner) == ["status"]
    (_power(app) / "BAT0" / "capacity").write_text("8\n", encoding="ascii")
    banner = _banner(client.get("/").get_data(as_text=True))
    assert EMPTY_BATTERY in banner and _roles(banner) == ["alert"]


def test_a_disk_filling_up_is_a_status_and_a_full_one_an_alert(
    app: Flask, client: FlaskClient, auth
) -> None:
    app.config["LAPTOP_HEALTH_SECONDS"] = 0
    app.config["DISK_USAGE"] = disk_with(1536 * MB)
    auth.login("secretary")
    banner = _banner(client.get("/").get_data(as_text=True))
    assert LOW_DISK in banner and _roles(banner) == ["status"]
    app.config["DISK_USAGE"] = disk_with(400 * MB)
    banner = _banner(client.get("/").get_data(as_text=True))
    assert FULL_DISK in banner and _roles(banner) == ["alert"]


def test_both_warnings_show_the_critical_first(app: Flask, client: FlaskClient, auth) -> None:
    unplugged(_power(app), 64)
    app.config["DISK_USAGE"] = disk_with(400 * MB)
    auth.login("radiographer")
    banner = _banner(client.get("/").get_data(as_text=True))
    assert banner.index(FULL_DISK) < banner.index(ON_BATTERY)
    assert _roles(banner) == ["alert", "status"]


def test_the_login_page_shows_no_banner(app: Flask, client: FlaskClient, user_factory) -> None:
    user_factory(role="radiographer")
    unplugged(_power(app), 8)
    assert _banner(client.get("/login").get_data(as_text=True)) == ""


def test_the_banner_is_in_english_for_an_english_user(
    app: Flask, client: FlaskClient, auth
) -> None:
    unplugged(_power(app), 8)
    app.config["DISK_USAGE"] = disk_with(1536 * MB)
    auth.login("radiographer")
    client.post("/language", data={"lang": "en"})
    banner = _banner(client.get("/").get_data(as_text=True))
    assert "The laptop's battery is almost empty (8 %)" in banner
    assert "(1.5 GB left)" in banner
    assert 'aria-label="The laptop"' in banner


def test_a_reading_is_kept_for_half_a_minute(app: Flask, client: FlaskClient, auth) -> None:
    unplugged(_power(app), 64)
    auth.login("radiographer")
    assert ON_BATTERY in client.get("/").get_data(as_text=True)
    (_power(app) / "AC" / "online").write_text("1\n", encoding="ascii")
    # Within the 30 s the page does not read sysfs again.
    assert ON_BATTERY in client.get("/").get_data(as_text=True)
    app.config["LAPTOP_HEALTH_SECONDS"] = 0
    assert _banner(client.get("/").get_data(as_text=True)) == ""


def test_a_warning_is_logged_once_when_it_starts_and_once_when_it_ends(
    app: Flask, client: FlaskClient, auth, caplog: pytest.LogCaptureFixture
) -> None:
    unplugged(_power(app), 23)
    app.config["LAPTOP_HEALTH_SECONDS"] = 0
    auth.login("radiographer")
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        for _ in range(3):
            client.get("/")
        (_power(app) / "BAT0" / "capacity").write_text("8\n", encoding="ascii")
        for _ in range(3):
            client.get("/")
        (_power(app) / "AC" / "online").write_text("1\n", encoding="ascii")
        for _ in range(3):
            client.get("/")
    said = [
        (r.levelname, r.getMessage()) for r in caplog.records if r.getMessage().startswith("Datorn")
    ]
    assert said == [
        ("WARNING", "Datorns batteri börjar ta slut: 23 %"),
        ("ERROR", "Datorns batteri är nästan tomt: 8 %"),
        ("INFO", "Datorns batteri är åter i ordning"),
    ]


def test_the_admin_screen_shows_the_laptops_power_and_disk(
    app: Flask, client: FlaskClient, auth
) -> None:
    unplugged(_power(app), 23)
    app.config["DISK_USAGE"] = disk_with(78 * GB + 5 * MB, 250 * GB)
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    section = page[page.index('<section class="panel" id="laptop">') :]
    section = section[: section.index("</section>")]
    assert "<h2>Datorn</h2>" in section
    assert "<dt>Ström</dt>\n    <dd>Batteri</dd>" in section
    assert "<dt>Batteriets laddning</dt>\n    <dd>23 %</dd>" in section
    assert "<dt>Ledigt diskutrymme</dt>\n    <dd>78 GB av 250 GB</dd>" in section


@pytest.mark.parametrize(
    ("files", "said"),
    [
        ({"AC": {"type": "Mains", "online": "1"}}, "Inget batteri (stationär dator)"),
        (
            {"AC": {"type": "Mains", "online": "1"}, "BAT0": {"type": "Battery", "capacity": "9"}},
            "Nätström (laddaren ansluten)",
        ),
    ],
)
def test_the_admin_screen_names_the_power_source(
    app: Flask, client: FlaskClient, auth, files: dict[str, dict[str, str]], said: str
) -> None:
    for name, values in files.items():
        supply(_power(app), name, **values)
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert f"<dt>Ström</dt>\n    <dd>{said}</dd>" in page


def test_the_admin_screen_says_when_the_disk_cannot_be_read(
    app: Flask, client: FlaskClient, auth
) -> None:
    def broken(path: Path) -> None:
        raise PermissionError(path)

    app.config["DISK_USAGE"] = broken
    auth.login("admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "<dt>Ledigt diskutrymme</dt>\n    <dd>Okänt</dd>" in page


# A tablet on the department's network, asking without a cookie as app.js does.
TABLET = {"REMOTE_ADDR": "192.168.1.20"}


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_healthz_gives_the_laptop_itself_its_figures(
    app: Flask, client: FlaskClient, address: str
) -> None:
    unplugged(_power(app), 23)
    app.config["DISK_USAGE"] = disk_with(400 * MB)
    body = client.get("/healthz", environ_base={"REMOTE_ADDR": address}).get_json()
    assert body["status"] == "ok"
    assert body["version"]
    assert (body["power"], body["battery_percent"], body["disk_free_mb"]) == ("battery", 23, 400)


def test_healthz_tells_a_tablet_only_that_the_laptop_answers(
    app: Flask, client: FlaskClient
) -> None:
    # Anyone on the network may ask; the laptop's battery and disk are not theirs to read.
    unplugged(_power(app), 23)
    app.config["DISK_USAGE"] = disk_with(400 * MB)
    response = client.get("/healthz", environ_base=TABLET)
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_gives_a_logged_in_user_on_a_tablet_the_figures(
    app: Flask, client: FlaskClient, auth
) -> None:
    unplugged(_power(app), 23)
    app.config["DISK_USAGE"] = disk_with(400 * MB)
    auth.login("radiographer")
    body = client.get("/healthz", environ_base=TABLET).get_json()
    assert (body["power"], body["battery_percent"], body["disk_free_mb"]) == ("battery", 23, 400)


def test_healthz_stays_ok_with_the_disk_nearly_full(app: Flask, client: FlaskClient) -> None:
    # Tablets ask it before each submit: a nearly full disk still takes a save.
    app.config["DISK_USAGE"] = disk_with(1 * MB)
    assert client.get("/healthz", environ_base=TABLET).status_code == 200


def test_a_board_left_open_reloads_when_a_warning_starts_or_ends(
    app: Flask, client: FlaskClient, auth
) -> None:
    app.config["LAPTOP_HEALTH_SECONDS"] = 0
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    board = client.get("/board/").get_data(as_text=True)
    refresh = re.search(r'data-refresh-url="([^"]+)"', board).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert re.search(r"laptop=(&|$)", refresh)  # none when the page was drawn
    assert client.get(refresh).status_code == 200
    unplugged(_power(app), 23)
    # The rows alone would not carry the banner: the page reloads, and its banner says so.
    assert client.get(refresh).status_code == 302
    board = client.get("/board/").get_data(as_text=True)
    refresh = re.search(r'data-refresh-url="([^"]+)"', board).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert "laptop=battery-warning" in refresh
    assert client.get(refresh).status_code == 200
    # The charge falling within a level changes only the figure: no reload for it.
    (_power(app) / "BAT0" / "capacity").write_text("22\n", encoding="ascii")
    assert client.get(refresh).status_code == 200
    (_power(app) / "AC" / "online").write_text("1\n", encoding="ascii")
    assert client.get(refresh).status_code == 302


def test_a_disk_filling_up_is_logged_once_per_level(
    app: Flask, client: FlaskClient, auth, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["LAPTOP_HEALTH_SECONDS"] = 0
    auth.login("radiographer")
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        for free in (1536 * MB, 1500 * MB, 400 * MB, 300 * MB, 10 * GB, 10 * GB):
            app.config["DISK_USAGE"] = disk_with(free)
            client.get("/")
    said = [(r.levelname, r.getMessage()) for r in caplog.records if "Disk" in r.getMessage()]
    assert said == [
        ("WARNING", "Diskutrymmet på datorn börjar ta slut: 1,5 GB kvar"),
        ("ERROR", "Diskutrymmet på datorn är nästan slut: 400 MB kvar"),
        ("INFO", "Diskutrymmet på datorn är åter i ordning"),
    ]
