"""What a screen reader would announce as a page changes: its live regions, watched.

A screen reader reads out a change inside a live region (role status, alert or log, or
aria-live) that was already on the page, shown, before the change. A region that appears with
its text already in it is read out only if it is an alert (assertive): a polite region shown
or inserted at the moment its text is written is as good as silent. The watch below records
each change as a screen reader would hear it: (politeness, text), once per region per change.
"""

from __future__ import annotations

from playwright.sync_api import Page

WATCH = """() => {
  const LIVE = '[role=alert],[role=status],[role=log],[aria-live]';
  const politeness = el => {
    const set = el.getAttribute('aria-live');
    if (set) return set;
    return el.getAttribute('role') === 'alert' ? 'assertive' : 'polite';
  };
  const shown = el => el.isConnected && el.getClientRects().length > 0;
  const regions = () => new Set([...document.querySelectorAll(LIVE)].filter(shown));
  let before = regions();
  window.__announced = [];
  const rootOf = node => {
    const el = node.nodeType === 1 ? node : node.parentElement;
    return el && el.isConnected ? el.closest(LIVE) : null;
  };
  new MutationObserver(records => {
    const heard = new Set();
    const consider = root => {
      if (!root || heard.has(root) || !shown(root)) return;
      const level = politeness(root);
      if (level === 'off') return;
      // A region that was not there to hear the change speaks only if it is an alert.
      if (!before.has(root) && level !== 'assertive') return;
      heard.add(root);
      const text = root.textContent.replace(/\\s+/g, ' ').trim();
      if (text) window.__announced.push([level, text]);
    };
    for (const r of records) {
      const root = rootOf(r.target);
      // A region shown again speaks (if an alert); one restyled in place says nothing new.
      if (r.type !== 'attributes' || !before.has(root)) consider(root);
      for (const n of r.addedNodes) {
        consider(rootOf(n));
        if (n.nodeType === 1) n.querySelectorAll(LIVE).forEach(consider);
      }
    }
    before = regions();
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ['hidden', 'class', 'style'],
  });
}"""


def watch_announcements(page: Page) -> None:
    """Start recording what the page's live regions would say from now on."""
    page.evaluate(WATCH)


def announced(page: Page) -> list[tuple[str, str]]:
    """(politeness, text) of each announcement since the watch began, and forget them."""
    said = page.evaluate("() => window.__announced.splice(0)")
    return [(level, text) for level, text in said]
