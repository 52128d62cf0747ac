"""Reservrutin opens from an icon on the tablet's home screen, full screen: the web app manifest,
its icons and the touch icon, reachable before anyone logs in."""

from __future__ import annotations

import importlib.util
import io
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from flask.testing import FlaskClient
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def _head_link(html: str, rel: str) -> str:
    found = re.search(rf'<link rel="{rel}" href="([^"]+)"', html)
    assert found, rel
    return found.group(1).replace("&amp;", "&")


def _png(client: FlaskClient, url: str) -> Image.Image:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "image/png", url
    image = Image.open(io.BytesIO(response.get_data()))
    response.close()
    assert image.format == "PNG", url
    return image


def _manifest(client: FlaskClient) -> tuple[str, dict]:
    login = client.get("/login", follow_redirects=True).get_data(as_text=True)
    url = _head_link(login, "manifest")
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    response.close()
    return url, manifest


def test_the_login_page_links_the_manifest_theme_colour_and_touch_icon(
    client: FlaskClient,
) -> None:
    html = client.get("/login", follow_redirects=True).get_data(as_text=True)
    _, manifest = _manifest(client)
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in html
    touch = _head_link(html, "apple-touch-icon")
    assert _png(client, touch).size == (180, 180)


def test_the_manifest_opens_reservrutin_full_screen_at_its_start_page(
    client: FlaskClient,
) -> None:
    _, manifest = _manifest(client)
    assert manifest["name"] == "Reservrutin"
    assert manifest["short_name"] == "Reservrutin"
    assert manifest["lang"] == "sv"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    # The start page answers without a login: it sends a tablet on to the login page.
    assert client.get("/").status_code in (200, 302)


def test_every_icon_of_the_manifest_is_a_png_of_its_stated_size_before_login(
    client: FlaskClient,
) -> None:
    url, manifest = _manifest(client)
    sizes = set()
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        image = _png(client, urljoin(url, icon["src"]))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert image.size == (width, height), icon
        sizes.add(width)
    assert {192, 512} <= sizes


def test_the_manifests_colours_are_the_top_bar_and_the_page_background_of_the_app(
    client: FlaskClient,
) -> None:
    _, manifest = _manifest(client)
    css = (ROOT / "static" / "css" / "app.css").read_text(encoding="utf-8")
    topbar = re.search(r"^\.topbar \{[^}]*background: (#[0-9a-f]+)", css, re.M)
    page = re.search(r"--bg: (#[0-9a-f]+);", css)
    assert topbar and page
    assert manifest["theme_color"] == topbar.group(1)
    assert manifest["background_color"] == page.group(1)


def test_the_icons_are_drawn_from_the_apps_svg_icon(client: FlaskClient) -> None:
    url, manifest = _manifest(client)
    svg = (ROOT / "static" / "img" / "icon.svg").read_text(encoding="utf-8")
    red = re.search(r'<rect [^>]*fill="#([0-9a-f]{6})"', svg)
    assert red
    colour = tuple(int(red.group(1)[i : i + 2], 16) for i in (0, 2, 4))
    for icon in manifest["icons"]:
        image = _png(client, urljoin(url, icon["src"])).convert("RGBA")
        w, h = image.size
        # The rounded square: its corners clear, its edge the icon's red, the letter white.
        assert image.getpixel((0, 0))[3] == 0
        assert image.getpixel((w // 2, h // 20))[:3] == colour
        assert image.getpixel((w * 11 // 32, h // 2))[:3] == (255, 255, 255)
    touch = _png(
        client,
        _head_link(
            client.get("/login", follow_redirects=True).get_data(as_text=True), "apple-touch-icon"
        ),
    )
    # iOS rounds the corners itself and shows a clear corner black: the touch icon is square.
    assert touch.convert("RGBA").getpixel((0, 0)) == (*colour, 255)


def test_the_manifest_and_icons_are_on_the_laptop_and_cached_by_version(
    client: FlaskClient,
) -> None:
    url, _ = _manifest(client)
    assert not urlsplit(url).netloc
    assert re.search(r"\?v=[0-9a-f]{12}$", url)


def test_the_committed_icons_are_what_the_script_draws_from_the_svg_now() -> None:
    # An edited icon.svg without scripts/draw_icons.py run again would leave old home-screen
    # icons beside a new browser-tab icon.
    spec = importlib.util.spec_from_file_location("draw_icons", ROOT / "scripts" / "draw_icons.py")
    assert spec and spec.loader
    draw_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(draw_icons)
    svg = (ROOT / "static" / "img" / "icon.svg").read_text(encoding="utf-8")
    for name, (size, rounded) in draw_icons.ICONS.items():
        committed = Image.open(ROOT / "static" / "img" / name).convert("RGBA")
        drawn = draw_icons.draw_icon(svg, size, rounded)
        assert committed.tobytes() == drawn.tobytes(), name
