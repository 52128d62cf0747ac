"""Moving through a page as a keyboard does: Tab stops, their order and their focus rings."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

# The page's Tab stops in the order of the page: what is shown, enabled and not taken out of
# the order, one per radio group (the checked radio, else the first). Each is numbered, and
# its look unfocused is kept to compare with its look focused.
STOPS = """() => {
  const candidates = document.querySelectorAll(
    'a[href], button, input, select, textarea, summary, [tabindex], [contenteditable]');
  const groups = new Set();
  const stops = [];
  for (const e of candidates) {
    if (e.disabled || e.tabIndex < 0 || e.type === 'hidden' || e.closest('[inert]')) continue;
    // Not shown: hidden, or folded in a closed <details>.
    if (!e.checkVisibility({visibilityProperty: true})) continue;
    if (e.tagName === 'SUMMARY' && e.parentElement.querySelector('summary') !== e) continue;
    if (e.type === 'radio') {
      const key = (e.form ? e.form.id || [...document.forms].indexOf(e.form) : '') + '/' + e.name;
      if (groups.has(key)) continue;
      const group = [...document.querySelectorAll(`input[type=radio][name="${e.name}"]`)]
        .filter(r => r.form === e.form);
      groups.add(key);
      stops.push(group.find(r => r.checked) || e);
      continue;
    }
    stops.push(e);
  }
  window.__stops = stops;
  // Each look unfocused: a field the page focused on opening is let go first.
  if (document.activeElement) document.activeElement.blur();
  return stops.map((e, i) => { e.dataset.kbStop = i; return window.__look(e); });
}"""

# How an element looks where a focus ring would show: its outline and shadow, and those of
# the label that holds a checkbox or radio (the ring may be drawn there).
LOOK = """() => {
  // What the ring is drawn on: the first background behind the element that is not clear.
  const behind = e => { for (let p = e.parentElement; p; p = p.parentElement) {
      const c = getComputedStyle(p).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; }
    return 'rgb(255, 255, 255)'; };
  const ring = e => { const s = getComputedStyle(e);
    return {outline: s.outlineStyle === 'none' ? 'none'
              : `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`,
            shadow: s.boxShadow, behind: behind(e)}; };
  window.__look = e => {
    const label = (e.type === 'checkbox' || e.type === 'radio') ? e.closest('label') : null;
    const name = (e.getAttribute('aria-label') || e.innerText || e.value || e.name || e.id || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    return {name: `${e.tagName.toLowerCase()} "${name}"`, self: ring(e),
            label: label ? ring(label) : null};
  };
}"""

FOCUSED = """() => { const e = document.activeElement;
  if (!e || e === document.body) return null;
  if (e.dataset.kbStop === undefined) return {stop: null, look: window.__look(e)};
  return {stop: Number(e.dataset.kbStop), look: window.__look(e)}; }"""


RGB = re.compile(r"rgba?\((\d+), (\d+), (\d+)")


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    found = RGB.search(colour)
    assert found, colour
    r, g, b = (channel(int(x)) for x in found.groups())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two CSS colours (rgb() as computed styles give them)."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _ring_seen(old: dict[str, str] | None, new: dict[str, str] | None) -> bool:
    # WCAG 1.4.11: a focus ring is seen when it has 3:1 against what it is drawn on. The ring
    # is an outline with a width, or a shadow, that the element did not have unfocused.
    if old is None or new is None:
        return False
    colours = []
    if new["outline"] != old["outline"] and new["outline"] != "none":
        _style, width, colour = new["outline"].split(" ", 2)
        if float(width.removesuffix("px")) >= 1:
            colours.append(colour)
    if new["shadow"] != old["shadow"] and new["shadow"] != "none":
        colours += [m.group(0) for m in RGB.finditer(new["shadow"])]
    return any(contrast(c, new["behind"]) >= 3 for c in colours)


def _shows_focus(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return _ring_seen(before["self"], after["self"]) or _ring_seen(before["label"], after["label"])


def unseen_focus(page: Page) -> list[str]:
    """The Tab stops of the page that show no focus ring, each focused as after a key press."""
    page.evaluate(LOOK)
    unfocused = page.evaluate(STOPS)
    page.keyboard.press("Shift")  # the ring shows for the keyboard: the last input was a key
    focused = page.evaluate(
        "() => window.__stops.map(e => { e.focus(); return window.__look(e); })"
    )
    return [
        f"no visible focus on {after['name']}"
        for before, after in zip(unfocused, focused, strict=True)
        if not _shows_focus(before, after)
    ]


def walk_tab_order(page: Page) -> list[str]:
    """Tab from the top of the page to its end; what is out of order, missed or shows no ring."""
    page.evaluate(LOOK)
    unfocused = page.evaluate(STOPS)
    # Start before the page's first stop, whatever the page focused when it opened (an error
    # summary, a field, the part of the page its address names).
    page.evaluate("() => { window.__stops[0].focus(); }")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    reached: list[int] = []
    problems = []
    for _ in range(len(unfocused) * 6 + 10):
        at = page.evaluate(FOCUSED)
        if at is None:
            if reached:
                break  # past the last stop: the browser's own controls come next
        elif at["stop"] is None:
            problems.append(f"focus on {at['look']['name']}, not a stop of the page")
            break
        elif reached and at["stop"] == reached[0]:
            break  # round again: headless, Tab from the last stop goes back to the first
        elif not reached or reached[-1] != at["stop"]:
            # A date and time field takes several Tabs (day, month, year, hour, minute).
            reached.append(at["stop"])
            if not _shows_focus(unfocused[at["stop"]], at["look"]):
                problems.append(f"no visible focus on {at['look']['name']}")
        page.keyboard.press("Tab")
    expected = list(range(len(unfocused)))
    if reached != expected:
        missed = [unfocused[i]["name"] for i in expected if i not in reached]
        problems.append(f"tab order {reached} is not the page's; never reached: {missed}")
    return problems


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element the selector names has the focus (it must get it)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")
