"""Icons are the app's own drawings, never from an emoji font a laptop or tablet may lack."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import pytest
from flask.testing import FlaskClient

from .routines_support import report_form

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "static" / "css" / "app.css"
SVG = "{http://www.w3.org/2000/svg}"
# Drawn only from an emoji or symbol font: ℹ, ⏱ and the other technical signs, ☎ ⚠ ✎ ✔ ✉
# and the other dingbats, 📠 🖨 and the other emoji. Arrows (← →) are in every text font.
PICTOGRAPH = re.compile("[\u2139\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]")
# The status badges that draw their icon from their class, and the icon each draws.
BADGE_ICONS = {
    "overdue": "clock",
    "fax-needed": "fax",
    "call-needed": "phone",
    "safety-unanswered": "warning",
    "safety-risk": "warning",
    "blank-report": "pencil",
}


def _drawings() -> dict[str, str]:
    """Each icon's name and its SVG, as app.css defines them."""
    css = CSS.read_text(encoding="utf-8")
    return {
        m["name"]: unquote(m["svg"])
        for m in re.finditer(
            r'--i-(?P<name>[a-z-]+): url\("data:image/svg\+xml,(?P<svg>[^"]+)"\)', css
        )
    }


def _icon_of(rule: str) -> str | None:
    m = re.search(rf"{re.escape(rule)} {{ --icon: var\(--i-([a-z-]+)\); }}", CSS.read_text("utf-8"))
    return m.group(1) if m else None


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


def test_every_icon_a_template_names_is_drawn_in_the_stylesheet() -> None:
    named = {
        m.group(1)
        for path in (ROOT / "templates").rglob("*.html")
        for m in re.finditer(r'icon\("([a-z-]+)"\)', path.read_text(encoding="utf-8"))
    }
    drawn = _drawings()
    assert {"clock", "info", "check"} <= named
    assert named <= set(drawn), named - set(drawn)
    assert all(_icon_of(f".i-{name}") == name for name in named)


def test_each_status_badge_class_draws_its_icon() -> None:
    drawn = _drawings()
    for badge, name in BADGE_ICONS.items():
        assert _icon_of(f".status.{badge}::before") == name, badge
        assert name in drawn


def test_drawings_are_line_svgs_on_one_grid() -> None:
    for name, svg in _drawings().items():
        root = ElementTree.fromstring(svg)
        assert root.tag == f"{SVG}svg", name
        assert root.get("viewBox") == "0 0 24 24", name
        # Used as a mask: what is drawn shows in the text's colour, whatever colour it has here.
        assert root.get("fill") == "none" and root.get("stroke"), name
        assert len(root) >= 1, name


def test_the_policy_lets_the_stylesheet_draw_its_icons(client: FlaskClient) -> None:
    policy = client.get("/login").headers["Content-Security-Policy"]
    img_src = next(p for p in policy.split(";") if p.strip().startswith("img-src"))
    assert "data:" in img_src.split()


@pytest.mark.parametrize("path", ["/board/", "/board/rows", "/reporting/"])
def test_late_and_unfaxed_badges_carry_their_class_and_text_and_no_icon_markup(
    client: FlaskClient, late_unfaxed: int, path: str
) -> None:
    page = client.get(path).get_data(as_text=True)
    assert '<span class="status overdue">Försenad</span>' in page
    assert '<span class="status fax-needed">Svar ej faxat</span>' in page
    assert not PICTOGRAPH.search(page)


def test_case_page_marks_the_late_case_and_its_unfaxed_report_with_icons(
    client: FlaskClient, late_unfaxed: int
) -> None:
    page = client.get(f"/cases/{late_unfaxed}").get_data(as_text=True)
    icon = '<span class="icon i-{}" aria-hidden="true"></span>'
    assert f'<span class="late-flag">{icon.format("clock")} Försenad</span>' in page
    assert f'<p class="dispatch-status status-unfaxed" role="status">{icon.format("fax")}' in page
    assert not PICTOGRAPH.search(page)
