// Progressive enhancement shared by every page; the app works without it.
(function () {
  "use strict";

  // The site's wall clock, for every script that shows or fills in a time: the laptop reads
  // and writes times on the site's clock (Europe/Stockholm), and a tablet whose own zone is
  // another (left on UTC, or on a neighbour's) would be an hour or two off.
  // Returns {year, month, day, hour, minute, second}, two digits each but the year.
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function siteClock(d) {
    var zone = document.body && document.body.getAttribute("data-time-zone");
    if (zone && window.Intl && Intl.DateTimeFormat) {
      try {
        var parts = {};
        new Intl.DateTimeFormat("en-GB", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
          .formatToParts(d).forEach(function (p) { parts[p.type] = p.value; });
        // Some engines write midnight as 24 even when asked for 00–23.
        if (parts.hour === "24") parts.hour = "00";
        return parts;
      } catch (e) { /* a zone this browser does not know: the tablet's own clock below */ }
    }
    return { year: String(d.getFullYear()), month: pad(d.getMonth() + 1), day: pad(d.getDate()),
             hour: pad(d.getHours()), minute: pad(d.getMinutes()), second: pad(d.getSeconds()) };
  }
  window.Reservrutin = window.Reservrutin || {};
  window.Reservrutin.siteClock = siteClock;

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  // Online/offline banner: staff must see at once that the tablet lost the laptop.
  function setupNetStatus() {
    var box = document.getElementById("net-status");
    if (!box) return;
    function update() {
      // The box stays on the page, empty (app.css): a region shown with its text is not heard.
      if (navigator.onLine) {
        box.textContent = "";
      } else {
        box.textContent = document.documentElement.lang === "en"
          ? "No connection to the laptop. What you type is kept on this tablet and sent when the connection returns."
          : "Ingen kontakt med datorn. Det du skriver sparas på plattan och skickas när kontakten är tillbaka.";
      }
    }
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    update();
  }

  // Hide patient data on an abandoned tablet: reload after the idle limit so the server logs out.
  function setupIdleReload() {
    var minutes = parseInt(document.body.getAttribute("data-idle-minutes") || "0", 10);
    if (!minutes || !document.querySelector(".who")) return;
    var last = Date.now();
    ["pointerdown", "keydown", "input"].forEach(function (ev) {
      document.addEventListener(ev, function () { last = Date.now(); }, { passive: true });
    });
    // A page drawn from a refused form names a page to go to: reloading it would send the form
    // again, and a tablet asks "send again?" over the patient before it does.
    var away = document.body.getAttribute("data-idle-url");
    window.setInterval(function () {
      if (Date.now() - last <= minutes * 60000 + 5000) return;
      if (away) window.location.replace(away);
      else window.location.reload();
    }, 15000);
  }

  function setupLogin() {
    var form = document.getElementById("login-form");
    if (!form) return;
    var user = document.getElementById("username");
    var secret = document.getElementById("secret");
    document.querySelectorAll(".recent-user").forEach(function (link) {
      link.addEventListener("click", function (ev) {
        ev.preventDefault();
        user.value = link.getAttribute("data-username");
        secret.focus();
      });
    });
    // The keyboard's Enter after the username sent the login without its PIN (refused, the
    // page drawn again): it goes on to the PIN unless one is filled in already.
    if (user && secret) {
      user.setAttribute("enterkeyhint", "next");
      secret.setAttribute("enterkeyhint", "go");
      user.addEventListener("keydown", function (ev) {
        if (ev.isComposing || ev.keyCode === 229) return;
        if ((ev.key !== "Enter" && ev.keyCode !== 13) || secret.value) return;
        ev.preventDefault();
        secret.focus();
      });
    }
    var toggle = document.getElementById("toggle-keyboard");
    if (toggle && secret) {
      toggle.hidden = false;
      toggle.addEventListener("click", function () {
        var numeric = secret.getAttribute("inputmode") === "numeric";
        secret.setAttribute("inputmode", numeric ? "text" : "numeric");
        secret.focus();
      });
    }
  }

  // A new PIN gets the number pad, a password the full keyboard, following the chosen kind.
  function setupSecretKind() {
    var secret = document.getElementById("secret");
    var kinds = document.querySelectorAll("input[name='kind']");
    if (!secret || !kinds.length || document.getElementById("login-form")) return;
    Array.prototype.forEach.call(kinds, function (radio) {
      radio.addEventListener("change", function () {
        if (radio.checked) secret.setAttribute("inputmode", radio.value === "pin" ? "numeric" : "text");
      });
    });
  }

  // A form posted without a connection would leave only the browser's error page: it stays,
  // with what was typed, and says so beside the button. A second tap while the first is on its
  // way is dropped (the laptop would answer "already saved", which reads like someone else's).
  // A GET form marked data-check-laptop (the scan station, the access log's filter) is held the
  // same way, with its own words in the attribute: a lookup sent without the laptop loses the
  // page as surely as a save. (The board's filters and the template picker have their own.)
  var SUBMIT_PENDING_MS = 10000;
  // Wi-Fi up but the laptop silent (asleep, restarting, another access point) looks online, so
  // the laptop is asked first. Long enough for a busy laptop, short enough to tap again.
  var REACHABLE_TIMEOUT_MS = 3000;

  // Calls back true when the laptop answers /healthz. Without cookies: the check must not touch
  // (or end) the session, nor cost the laptop more than its SELECT 1.
  function laptopAnswers(callback) {
    var ctrl = new AbortController();
    var done = false;
    function finish(ok) {
      if (done) return;
      done = true;
      window.clearTimeout(timer);
      callback(ok);
    }
    var timer = window.setTimeout(function () { ctrl.abort(); finish(false); }, REACHABLE_TIMEOUT_MS);
    fetch("/healthz", { cache: "no-store", credentials: "omit", signal: ctrl.signal }).then(function (res) {
      // 503 is the laptop with its database down: the form then gets the laptop's own error
      // page, a way back included. Any other answer is not this laptop (another network's host).
      finish(res.ok || res.status === 503);
    }, function () { finish(false); });
  }
  // For a script's own send, which no submit event announces (a picker that sends as it
  // changes): without a connection the answer is no at once, without fetch the browser decides.
  window.Reservrutin.laptopAnswers = function (callback) {
    if (!navigator.onLine) { callback(false); return; }
    if (!window.fetch || !window.AbortController) { callback(true); return; }
    laptopAnswers(callback);
  };

  function setupSubmitGuard() {
    var en = document.documentElement.lang === "en";
    var refused = null;
    var refusedLookup = false;
    var resending = false;
    function notice(submitter, form) {
      if (!refused) {
        refused = document.createElement("p");
        refused.setAttribute("role", "alert");
      }
      // In a sticky action bar the notice goes into the bar, which is in view wherever the form is.
      var bar = submitter && submitter.closest(".actions-bar");
      if (bar) bar.appendChild(refused);
      else if (submitter && submitter.parentNode) submitter.parentNode.insertBefore(refused, submitter);
      else form.appendChild(refused);
      refused.className = "flash flash-error submit-refused";
      refusedLookup = form.hasAttribute("data-check-laptop");
      refused.textContent = form.getAttribute("data-check-laptop") || (en
        ? "Not saved: no connection to the laptop. What you typed is still here. Tap again when the connection is back."
        : "Inte sparat: ingen kontakt med datorn. Det du skrivit finns kvar. Tryck igen när kontakten är tillbaka.");
      // The page's own script may ready itself for another try (the scan station selects the
      // kept code, so the hand scanner's next read replaces it instead of adding to it).
      form.dispatchEvent(new CustomEvent("laptop-refused"));
    }
    // The check held back the browser's own send: send now as it would have, the pressed button's
    // name and value included. Should the POST itself then fail on the way (the laptop gone in
    // the moment since it answered) the browser's error page still follows: accepted, as that
    // window is short and a form with a draft keeps what was typed on the tablet (drafts.js).
    function send(form, submitter) {
      if (form.requestSubmit) {
        resending = true;
        try { form.requestSubmit(submitter || undefined); } finally { resending = false; }
        return;
      }
      // Older Safari: submit() sends no button, so the pressed one goes along as a hidden field,
      // taken out again at once (the entry list is built as submit() runs) so a page brought back
      // by the back button does not send it with another button.
      var extra = null;
      if (submitter && submitter.name) {
        extra = document.createElement("input");
        extra.type = "hidden";
        extra.name = submitter.name;
        extra.value = submitter.value;
        form.appendChild(extra);
      }
      try { HTMLFormElement.prototype.submit.call(form); } finally { if (extra) form.removeChild(extra); }
    }
    window.addEventListener("online", function () {
      if (!refused || !refused.parentNode) return;
      refused.className = "flash flash-info submit-refused";
      if (refusedLookup) {
        refused.textContent = en ? "The connection is back – try again." : "Kontakten är tillbaka – försök igen.";
        return;
      }
      refused.textContent = en
        ? "The connection is back – tap the button again to save."
        : "Kontakten är tillbaka – tryck på knappen igen för att spara.";
    });
    document.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (ev.defaultPrevented) return;
      if ((form.getAttribute("method") || "").toLowerCase() !== "post" && !form.hasAttribute("data-check-laptop")) return;
      if (resending) return;  // this guard's own send after the laptop answered
      if (!navigator.onLine) {
        ev.preventDefault();
        notice(ev.submitter, form);
        return;
      }
      if (form.target) return;  // opens a new tab (printed blanks): this page stays to use again
      var sentAt = parseInt(form.getAttribute("data-sent-at") || "0", 10);
      if (Date.now() - sentAt < SUBMIT_PENDING_MS) { ev.preventDefault(); return; }
      form.setAttribute("data-sent-at", String(Date.now()));
      // Without fetch, or without knowing the pressed button, the browser sends as it always did.
      if (!window.fetch || !window.AbortController || !("submitter" in ev)) {
        if (refused && refused.parentNode) refused.parentNode.removeChild(refused);
        return;
      }
      ev.preventDefault();
      var submitter = ev.submitter;
      laptopAnswers(function (ok) {
        if (!ok) {
          form.removeAttribute("data-sent-at");  // the next tap tries again
          notice(submitter, form);
          return;
        }
        if (refused && refused.parentNode) refused.parentNode.removeChild(refused);
        send(form, submitter);
      });
    });
    // Back to a page kept in memory: its forms may be sent again.
    window.addEventListener("pageshow", function (ev) {
      if (!ev.persisted) return;
      document.querySelectorAll("form[data-sent-at]").forEach(function (f) { f.removeAttribute("data-sent-at"); });
    });
  }

  // A NUL character is never typed, but text pasted from another program can carry one, and the
  // laptop refuses a form or draft holding it (the database cannot store it). It is taken out
  // as it arrives, before the drafts see the change, so the rest of what was typed is kept.
  function dropNul(field) {
    if (!field || typeof field.value !== "string" || field.value.indexOf("\u0000") < 0) return;
    var caret = null;
    try { caret = field.selectionStart; } catch (e) { caret = null; }  // not a text field
    var dropped = caret == null ? 0 : field.value.slice(0, caret).split("\u0000").length - 1;
    field.value = field.value.replace(/\u0000/g, "");
    if (caret != null) {
      try { field.setSelectionRange(caret - dropped, caret - dropped); } catch (e) { /* no caret */ }
    }
  }

  function setupNoNul() {
    document.addEventListener("input", function (ev) { dropNul(ev.target); }, true);
    // A value filled in without an input event (autofill, a script) is checked as it is sent.
    document.addEventListener("submit", function (ev) {
      Array.prototype.forEach.call(ev.target.elements || [], dropNul);
    }, true);
  }

  // A refused form must show why: the summary if the page has one, else the first wrong field,
  // which on a long page (addendum, priority, incident note) is far below the top.
  function focusErrors() {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); return; }
    var field = document.querySelector(
      ".has-error input:not([type='hidden']), .has-error textarea, .has-error select");
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  // The tablet keyboard's "next" key focuses a field without scrolling while it is on screen,
  // which may be behind the sticky action bar: the page keeps the bar's height clear instead.
  function setupStickyBarClearance() {
    var bars = document.querySelectorAll(".actions-bar");
    if (!bars.length || !window.ResizeObserver) return;
    function clear() {
      var tallest = 0;
      bars.forEach(function (bar) { tallest = Math.max(tallest, bar.offsetHeight); });
      document.documentElement.style.scrollPaddingBottom = (tallest + 8) + "px";
    }
    var observer = new ResizeObserver(clear);
    bars.forEach(function (bar) { observer.observe(bar); });
  }

  // A link to a folded panel (a <details>) lands on its closed summary, the action it leads to
  // still hidden: the panel is opened, with any folded panel around the target. On load (a link
  // from elsewhere, a reload), on hashchange, and on a tap of a link to the address's own hash
  // (a panel folded again by hand), which fires no hashchange.
  function openTarget(hash) {
    if (!hash || hash.length < 2) return;
    var target = null;
    try { target = document.getElementById(decodeURIComponent(hash.slice(1))); } catch (e) { return; }
    var inside = false;
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) {
        el.open = true;
        if (el !== target) inside = true;
      }
    }
    // A target hidden in a folded panel had nowhere to be scrolled to.
    if (inside) target.scrollIntoView({ block: "start" });
  }
  function setupOpenTarget() {
    openTarget(window.location.hash);
    window.addEventListener("hashchange", function () { openTarget(window.location.hash); });
    document.addEventListener("click", function (ev) {
      var link = ev.target.closest ? ev.target.closest("a[href^='#']") : null;
      if (link) openTarget(link.getAttribute("href"));
    });
  }

  onReady(function () {
    setupNetStatus();
    setupOpenTarget();
    setupStickyBarClearance();
    setupIdleReload();
    setupLogin();
    setupSecretKind();
    setupNoNul();
    setupSubmitGuard();
    focusErrors();
  });
  // Scrolling to the form's #anchor after parsing moves focus to the page: focus the error again.
  window.addEventListener("load", function () {
    if (document.activeElement === document.body) focusErrors();
  });
})();

// One-tap copy of a field's value (catch-up view); falls back to selecting the text.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest(".copy-btn") : null;
    if (!btn) return;
    var source = document.getElementById(btn.getAttribute("data-copy"));
    if (!source) return;
    var text = source.textContent;
    var done = function () {
      var label = btn.textContent;
      var copied = document.documentElement.lang === "en" ? "Copied" : "Kopierat";
      btn.textContent = copied;
      btn.classList.add("copied");
      // A focused button's new text is not read out: the region beside says what was copied.
      var what = document.getElementById(btn.getAttribute("aria-describedby") || "");
      if (heard) heard.textContent = copied + (what ? ": " + what.textContent.trim() : "");
      window.setTimeout(function () {
        btn.textContent = label; btn.classList.remove("copied");
        if (heard) heard.textContent = "";
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
    } else {
      selectText(source);
      try { if (document.execCommand("copy")) done(); } catch (e) { /* selection stays for manual copy */ }
    }
  });
  // Put on the page before anything is copied: a region added with its text is not heard.
  var heard = null;
  function addRegion() {
    if (!document.querySelector(".copy-btn")) return;
    heard = document.createElement("p");
    heard.className = "sr-only copy-status";
    heard.setAttribute("role", "status");
    (document.getElementById("main") || document.body).appendChild(heard);
  }
  if (document.readyState !== "loading") addRegion();
  else document.addEventListener("DOMContentLoaded", addRegion);
  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
})();
