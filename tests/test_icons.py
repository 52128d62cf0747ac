"""Icons come from the app's own sprite, never from an emoji font a laptop or tablet may lack."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

from .routines_support import report_form

ROOT = Path(__file__).resolve().parent.parent
SPRITE = ROOT / "static" / "img" / "icons.svg"
SVG = "{http://www.w3.org/2000/svg}"
# Drawn only from an emoji or symbol font: ℹ, ⏱ and the other technical signs, ☎ ⚠ ✎ ✔ ✉
# and the other dingbats, 📠 🖨 and the other emoji. Arrows (← →) are in every text font.
PICTOGRAPH = re.compile("[\u2139\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")
ICON = re.compile(
    r'<svg class="icon" width="1em" height="1em" aria-hidden="true">'
    r'<use href="/static/img/icons\.svg\?v=[0-9a-f]{12}#(?P<name>[a-z-]+)"/></svg>'
)


def _badge(page: str, status: str) -> re.Match[str] | None:
    return re.search(rf'<span class="status {status}">{ICON.pattern} (?P<label>[^<]+)</span>', page)


@pytest.fixture
def late_unfaxed(client: FlaskClient, auth, case_id: int) -> int:
    """The akut case, past its hour's wait, with a preliminary report not yet faxed."""
    auth.login("radiologist")
    response = client.post(f"/reporting/{case_id}", data=report_form("preliminary", "p" * 20))
    assert response.status_code == 302
    return case_id


def test_no_template_script_or_stylesheet_writes_a_pictograph() -> None:
    files = [
        *(ROOT / "templates").rglob("*.html"),
        *(ROOT / "static" / "js").glob("*.js"),
        *(ROOT / "static" / "css").glob("*.css"),
    ]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()[:80]}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PICTOGRAPH.search(line)
    ]
    assert not found, "\n".join(found)


def test_every_icon_a_template_names_is_drawn_in_the_sprite() -> None:
    named = {
        m.group(1)
        for path in (ROOT / "templates").rglob("*.html")
        for m in re.finditer(r'icon\("([a-z-]+)"\)', path.read_text(encoding="utf-8"))
    }
    symbols = {s.get("id"): s for s in ElementTree.parse(SPRITE).getroot().iter(f"{SVG}symbol")}
    assert {"clock", "fax", "phone", "warning", "pencil"} <= named
    assert named <= set(symbols), named - set(symbols)


def test_sprite_symbols_take_the_text_colour_and_need_no_inline_style() -> None:
    # Served under the app's CSP (style-src 'self'): a style attribute in it would be dropped.
    root = ElementTree.parse(SPRITE).getroot()
    assert all(el.get("style") is None for el in root.iter())
    for symbol in root.iter(f"{SVG}symbol"):
        assert symbol.get("viewBox") == "0 0 24 24", symbol.get("id")
        assert symbol.get("stroke") == "currentColor", symbol.get("id")


def test_sprite_is_served_without_login_and_cached_by_its_version(
    client: FlaskClient, auth, late_unfaxed: int
) -> None:
    page = client.get("/board/").get_data(as_text=True)
    match = re.search(r'href="(/static/img/icons\.svg\?v=[0-9a-f]{12})#', page)
    assert match is not None
    auth.logout()
    response = client.get(match.group(1))
    body = response.get_data()
    response.close()  # the file the static view opened
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.cache_control.max_age == 365 * 24 * 3600
    assert b'<symbol id="fax"' in body


@pytest.mark.parametrize("path", ["/board/", "/board/rows", "/reporting/"])
def test_late_and_unfaxed_badges_draw_their_icon_beside_the_text(
    client: FlaskClient, late_unfaxed: int, path: str
) -> None:
    page = client.get(path).get_data(as_text=True)
    late, unfaxed = _badge(page, "overdue"), _badge(page, "fax-needed")
    assert late is not None and (late["name"], late["label"]) == ("clock", "Försenad")
    assert unfaxed is not None and (unfaxed["name"], unfaxed["label"]) == ("fax", "Svar ej faxat")
    assert not PICTOGRAPH.search(page)


def test_case_page_marks_the_late_case_and_its_unfaxed_report_with_icons(
    client: FlaskClient, late_unfaxed: int
) -> None:
    page = client.get(f"/cases/{late_unfaxed}").get_data(as_text=True)
    late = re.search(rf'<span class="late-flag">{ICON.pattern} Försenad</span>', page)
    assert late is not None and late["name"] == "clock"
    unfaxed = re.search(
        rf'<p class="dispatch-status status-unfaxed" role="status">{ICON.pattern}', page
    )
    assert unfaxed is not None and unfaxed["name"] == "fax"
    assert not PICTOGRAPH.search(page)
