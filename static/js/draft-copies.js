// The tablet's copies of draft forms (localStorage), apart from any one form: copies left behind
// are sent, listed and cleared on every page. Loaded before drafts.js, which autosaves the
// open form and shares these helpers (window.Reservrutin.drafts).
(function () {
  "use strict";

  var STORE_PREFIX = "reservrutin:draft:";
  // Forms of a saved case: each carries the version of the record it showed, so a save from it
  // after someone else's is refused as a conflict, never put over the newer version.
  var CASE_KINDS = { referral_edit: true, identity: true, exam: true, report: true };
  function parseJSON(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }

  function newKey() {
    var bytes = new Uint8Array(24);
    window.crypto.getRandomValues(bytes);
    return window.btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // The laptop's count a copy's text goes on from: null for a copy kept before copies named it
  // (the laptop then goes by the copy's own count alone).
  function baseOf(entry) { return entry && typeof entry.base === "number" ? entry.base : null; }

  // A copy kept before copies named their login: typed under a login no one can tell now.
  function typedUnder(entry) { return entry && entry.userId ? entry.userId : 0; }
  // The login that typed on in a copy begun under another (null if none did).
  function continuedUnder(entry) { return entry && entry.contId ? entry.contId : null; }

  window.Reservrutin = window.Reservrutin || {};
  window.Reservrutin.drafts = {
    STORE_PREFIX: STORE_PREFIX,
    CASE_KINDS: CASE_KINDS,
    parseJSON: parseJSON,
    newKey: newKey,
    baseOf: baseOf,
    typedUnder: typedUnder,
    continuedUnder: continuedUnder
  };

  // The laptop names a form it has just saved: only then is the tablet copy no longer needed. A
  // submit that ended at the login page or an error page keeps it, to come back with the form.
  function forgetSaved() {
    var key = document.body.getAttribute("data-saved-form");
    if (key) window.localStorage.removeItem(STORE_PREFIX + key);
  }

  // A copy the laptop already holds is of no use on the tablet once its form is left: patient
  // data is not kept on a shared tablet longer than that. Unsent copies always stay.
  var KEEP_SENT_MS = 10 * 60000;
  function forgetSentCopies() {
    // Logged out (or another user about to log in on a shared tablet): no one here may read them.
    var loggedOut = !document.querySelector(".who");
    Object.keys(window.localStorage).forEach(function (storeKey) {
      if (storeKey.indexOf(STORE_PREFIX) !== 0) return;
      var key = storeKey.slice(STORE_PREFIX.length);
      if (document.querySelector("input[name$='form_key'][value='" + key.replace(/'/g, "") + "']")) return;
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (entry && entry.synced && (loggedOut || Date.now() - (entry.at || 0) > KEEP_SENT_MS)) window.localStorage.removeItem(storeKey);
    });
  }

  // A form typed without a connection and then left (tab closed, another page opened) is sent
  // from whichever page opens next, so it is in the laptop's list of drafts for every tablet.
  function sendLeftBehind() {
    var token = document.querySelector("input[name$='csrf_token']");
    if (!navigator.onLine || !window.fetch || !token || !document.querySelector(".who")) return Promise.resolve();
    function push(storeKey, key) {
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (!entry || entry.synced || !entry.kind) return Promise.resolve();
      return fetch("/api/drafts/" + encodeURIComponent(key), {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify({ kind: entry.kind, seq: entry.seq, data: entry.data, label: entry.label,
                               case_id: entry.caseId || null, incident_id: entry.incidentId || null,
                               typed_under: typedUnder(entry), continued_under: continuedUnder(entry),
                               writer: entry.writer || null, base: baseOf(entry) })
      }).then(function (res) { return res.ok ? res.json() : null; }).then(function (body) {
        if (!body) return;
        // A new form sent: its text is stored. A form of a case sent (as the open form does):
        // from another tablet while this copy held text the laptop never had, so it is kept.
        if (body.state === "done" && !CASE_KINDS[entry.kind]) { window.localStorage.removeItem(storeKey); return; }
        if (body.state === "discarded" || body.state === "stale" || body.state === "overtaken" || body.state === "done") {
          // Thrown away from the list while this tablet held text the laptop never had, or
          // saved further or sent on another tablet since: it goes to the list as a new draft
          // rather than being lost with the old one or put over the other tablet's newer text.
          var moved = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
          window.localStorage.removeItem(storeKey);
          if (!moved || !moved.data) return;
          var newOne = newKey();
          moved.seq = 1;
          moved.base = 0;
          moved.synced = false;
          moved.at = Date.now();
          if ("form_key" in moved.data) moved.data.form_key = newOne;
          window.localStorage.setItem(STORE_PREFIX + newOne, JSON.stringify(moved));
          return push(STORE_PREFIX + newOne, newOne);
        }
        if (body.state !== "created" && body.state !== "saved" && body.state !== "held") return;
        var latest = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
        if (latest && latest.seq === entry.seq) {
          latest.synced = true;
          latest.base = Math.max(entry.seq, body.seq || 0);
          window.localStorage.setItem(storeKey, JSON.stringify(latest));
        }
      }).catch(function () { /* still no contact: the next page tries again */ });
    }
    var pushes = [];
    Object.keys(window.localStorage).forEach(function (storeKey) {
      if (storeKey.indexOf(STORE_PREFIX) !== 0) return;
      var key = storeKey.slice(STORE_PREFIX.length);
      if (document.querySelector("input[name$='form_key'][value='" + key.replace(/'/g, "") + "']")) return;
      pushes.push(push(storeKey, key));
    });
    return Promise.all(pushes);
  }

  // The laptop's list of drafts cannot show what it never got: a copy still only on this
  // tablet (no contact, or one the logged-in role may not send) is listed here with its form.
  function listTabletOnly() {
    var list = document.getElementById("local-drafts");
    if (!list) return;
    var en = document.documentElement.lang === "en";
    list.textContent = "";
    Object.keys(window.localStorage).sort().forEach(function (storeKey) {
      if (storeKey.indexOf(STORE_PREFIX) !== 0) return;
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (!entry || entry.synced || !entry.data) return;
      var key = storeKey.slice(STORE_PREFIX.length);
      var item = document.createElement("li");
      var what = entry.label || (en ? "Untitled draft" : "Utkast utan namn");
      if (entry.path) {
        var link = document.createElement("a");
        link.href = entry.path + "?draft=" + encodeURIComponent(key);
        link.textContent = what;
        item.appendChild(link);
      } else {
        item.appendChild(document.createTextNode(what));
      }
      var t = window.Reservrutin.siteClock(new Date(entry.at || 0));
      var who = entry.userName ? " · " + entry.userName : "";
      if (entry.contName && entry.contName !== entry.userName) who += (en ? ", continued by " : ", fortsatt av ") + entry.contName;
      item.appendChild(document.createTextNode(" · " + t.hour + ":" + t.minute + who));
      list.appendChild(item);
    });
    var heading = document.getElementById("local-drafts-heading");
    list.hidden = !list.children.length;
    if (heading) heading.hidden = list.hidden;
  }

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    forgetSaved();
    forgetSentCopies();
    listTabletOnly();
    sendLeftBehind().then(listTabletOnly, listTabletOnly);
  });
})();
