// The board refreshes itself; a background header keeps it from holding a session open.
(function () {
  "use strict";
  // The time of day on the site's clock (app.js): a tablet left on UTC would otherwise say
  // "since 08:15" at 10:15, a board two hours old.
  function siteClock(d) {
    var t = window.Reservrutin.siteClock(d);
    return t.hour + ":" + t.minute + ":" + t.second;
  }
  function start() {
    var board = document.getElementById("board");
    if (!board || !window.fetch) return;
    var url = board.getAttribute("data-refresh-url");
    var seconds = parseInt(board.getAttribute("data-refresh-seconds") || "10", 10);
    var en = document.documentElement.lang === "en";
    // A laptop that answers nothing (asleep, Wi-Fi up but the packets lost) would leave one
    // request hanging per tick; the next tick waits for this one, so a late answer cannot put
    // an older board over a newer one.
    var timeoutMs = Math.max(3000, Math.min(seconds * 1000 - 500, 8000));
    var pending = false;
    var lastShown = new Date();
    var stale = null;
    // The last rows stay up when the laptop cannot be reached, but an akut case that came in
    // since is not on them: the board says at once that it is old, not only in its small time.
    function warn(noContact) {
      if (!stale) {
        stale = document.createElement("p");
        stale.className = "flash flash-error board-stale";
        stale.setAttribute("role", "alert");
        board.parentNode.insertBefore(stale, board);
      }
      var at = siteClock(lastShown);
      var text;
      if (noContact) {
        text = en
          ? "The board has not been updated since " + at + ": no connection to the laptop. New cases are not shown."
          : "Tavlan är inte uppdaterad sedan " + at + ": ingen kontakt med datorn. Nya ärenden syns inte.";
      } else {
        text = en
          ? "The board has not been updated since " + at + ": the laptop answered with an error. Reload the page."
          : "Tavlan är inte uppdaterad sedan " + at + ": datorn svarade med ett fel. Ladda om sidan.";
      }
      // Written again only when it changes: an alert rewritten every ten seconds is read out
      // every ten seconds.
      if (stale.textContent !== text) stale.textContent = text;
    }
    function fresh() {
      lastShown = new Date();
      if (stale && stale.parentNode) stale.parentNode.removeChild(stale);
      stale = null;
    }
    // Rows that move under a finger would turn a tap on one patient into a tap on another (a
    // tap's click lands on whatever is under the finger when it lifts): new rows wait until the
    // finger is off the board and a moment more, for the click to land on what was touched.
    var touching = false;
    var touchedAt = 0;
    var holdUntil = 0;
    var waiting = null;
    function show(html) {
      // A release the page never hears of (the mouse let go outside the window) must not stop
      // the board: a finger held longer than a tap is no tap.
      var held = touching && Date.now() - touchedAt < 5000;
      if (held || Date.now() < holdUntil) { waiting = html; return; }
      waiting = null;
      // A row reached with the keyboard keeps the focus across the refresh (by its case, wherever
      // it moved), or Tab starts again from the top of the page every ten seconds.
      var active = document.activeElement;
      var inBoard = !!active && board.contains(active);
      var focused = inBoard ? active.getAttribute("href") : null;
      var rowsBefore = rowLinks();
      var code = focused && active.querySelector(".b-code");
      code = code ? code.textContent.trim() : "";
      replaceRows(html);
      if (focused) {
        var again = linkTo(focused);
        if (again) again.focus({ preventScroll: true });
        else if (rowsBefore.indexOf(focused) >= 0) rowLeft(rowsBefore, focused, code);
      }
      // A notice's button whose notice went (the other outage closed) would drop the focus to
      // the top of the page.
      if (inBoard && !board.contains(document.activeElement)) focusHeading();
      fresh();
    }
    function rowLinks() {
      return Array.prototype.map.call(board.querySelectorAll(".board-row a[href]"), function (a) {
        return a.getAttribute("href");
      });
    }
    function linkTo(href) {
      return Array.prototype.filter.call(board.querySelectorAll("a[href]"), function (a) {
        return a.getAttribute("href") === href;
      })[0];
    }
    // The row the keyboard was on has gone (its case done or cancelled, no longer what the
    // filter shows): the focus goes on to the row that took its place, else the one before it,
    // else the heading, and the user is told which case went, or the focus seems to jump.
    function rowLeft(rowsBefore, gone, code) {
      var at = rowsBefore.indexOf(gone);
      var order = rowsBefore.slice(at + 1).concat(rowsBefore.slice(0, at).reverse());
      var next = null;
      for (var i = 0; i < order.length && !next; i += 1) next = linkTo(order[i]);
      if (next) next.focus({ preventScroll: true });
      else focusHeading();
      var news = document.getElementById("board-news");
      if (news && code) {
        news.textContent = en ? "Case " + code + " is no longer on the board."
          : "Ärendet " + code + " finns inte längre på tavlan.";
      }
    }
    function focusHeading() {
      var heading = document.getElementById("board-heading");
      if (heading) heading.focus({ preventScroll: true });
    }
    // The notices above the rows (another outage still open) are alerts: one put in anew is
    // read out anew, every ten seconds, and a button in it would lose the focus. Those that say
    // what they said before stay as they are; only their hidden fields (the CSRF token) follow.
    function sameNotice(old, next) {
      return old.tagName === next.tagName && old.className === next.className
        && old.getAttribute("role") === next.getAttribute("role")
        && old.textContent === next.textContent;
    }
    function replaceRows(html) {
      var next = document.createElement("div");
      next.innerHTML = html;
      var before = Array.prototype.slice.call(board.children);
      var after = Array.prototype.slice.call(next.children);
      var kept = 0;
      while (kept < before.length && kept < after.length && before[kept].getAttribute("role") === "alert"
             && sameNotice(before[kept], after[kept])) {
        var fresh = after[kept].querySelectorAll("input[type='hidden']");
        Array.prototype.forEach.call(before[kept].querySelectorAll("input[type='hidden']"), function (input, i) {
          if (fresh[i] && fresh[i].name === input.name) input.value = fresh[i].value;
        });
        kept += 1;
      }
      before.slice(kept).forEach(function (el) { board.removeChild(el); });
      Array.prototype.slice.call(board.childNodes).forEach(function (n) {
        if (n.nodeType === 3) board.removeChild(n);
      });
      after.slice(kept).forEach(function (el) { board.appendChild(el); });
    }
    board.addEventListener("pointerdown", function () { touching = true; touchedAt = Date.now(); }, { passive: true });
    ["pointerup", "pointercancel"].forEach(function (name) {
      document.addEventListener(name, function () {
        if (!touching) return;
        touching = false;
        holdUntil = Date.now() + 600;
        window.setTimeout(function () { if (waiting !== null) show(waiting); }, 650);
      }, { passive: true });
    });
    function refresh() {
      if (pending) return;
      pending = true;
      var ctrl = window.AbortController ? new AbortController() : null;
      var giveUp = ctrl ? window.setTimeout(function () { ctrl.abort(); }, timeoutMs) : null;
      fetch(url, { credentials: "same-origin", headers: { "X-Reservrutin-Background": "1" },
                   signal: ctrl ? ctrl.signal : undefined })
        .then(function (res) {
          if (res.status === 401 || res.redirected) { window.location.reload(); return null; }
          if (!res.ok) { warn(false); return null; }
          return res.text();
        })
        .then(function (html) {
          if (html === null || html === undefined) return;
          show(html);
        })
        .catch(function () { warn(true); })
        .then(function () { window.clearTimeout(giveUp); pending = false; });
    }
    window.setInterval(refresh, seconds * 1000);
    var filters = document.getElementById("board-filters");
    if (filters) {
      // A GET form, which the submit guard (app.js) leaves alone: sent without the laptop, it
      // would put the browser's error page in place of the board.
      var refused = null;
      var apply = function () {
        window.Reservrutin.laptopAnswers(function (ok) {
          if (ok) { filters.submit(); return; }
          filters.reset();  // the filters the rows below were drawn with
          if (!refused) {
            refused = document.createElement("p");
            refused.className = "flash flash-error filters-refused";
            refused.setAttribute("role", "alert");
            filters.parentNode.insertBefore(refused, filters.nextSibling);
          }
          refused.textContent = en
            ? "No connection to the laptop – the filter was not changed. Choose it again when the connection is back."
            : "Ingen kontakt med datorn – filtret ändrades inte. Välj det igen när kontakten är tillbaka.";
        });
      };
      filters.addEventListener("change", apply);
      filters.addEventListener("submit", function (ev) { ev.preventDefault(); apply(); });
    }
  }
  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
