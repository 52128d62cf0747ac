// The tablet's copies of draft forms (localStorage): what a copy holds of its form (the fields,
// the label, the login it was typed under), and, apart from any one form, the copies left
// behind, sent, listed and cleared on every page. Loaded before drafts.js, which autosaves the
// open form and shares these helpers (window.Reservrutin.drafts).
(function () {
  "use strict";

  var STORE_PREFIX = "reservrutin:draft:";
  // Forms of a saved case: each carries the version of the record it showed, so a save from it
  // after someone else's is refused as a conflict, never put over the newer version.
  var CASE_KINDS = { referral_edit: true, identity: true, exam: true, report: true };
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
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

  // What a copy holds of its form: every named field but its token and a password.
  function collect(form) {
    var data = {};
    $all("input, select, textarea", form).forEach(function (el) {
      // A form with a prefix (one of several on a page) names its token "<prefix>-csrf_token".
      if (!el.name || /(^|-)csrf_token$/.test(el.name) || el.type === "password") return;
      // A box the laptop asked to be ticked answers that page only (see patient_forms.py).
      if (el.hasAttribute("data-draft-skip")) return;
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; else if (!(el.name in data)) data[el.name] = ""; return; }
      if (el.type === "checkbox") { data[el.name] = el.checked ? (el.value || "y") : ""; return; }
      data[el.name] = el.value;
    });
    return data;
  }

  // A copy put back into its form: the text typed before a reload, a refused save or a lost tab.
  function apply(form, data) {
    var restored = [];
    Object.keys(data).forEach(function (name) {
      if (/(^|-)form_key$/.test(name)) return;
      $all("[name='" + name + "']", form).forEach(function (el) {
        if (el.hasAttribute("data-draft-skip")) return;
        if (el.type === "radio") el.checked = el.value === data[name];
        else if (el.type === "checkbox") el.checked = !!data[name];
        else el.value = data[name] == null ? "" : data[name];
        restored.push(el);
      });
    });
    // What the page shows follows the restored values, as if typed: the reserve-number fields
    // of a restored unidentified patient, the safety questions its exam needs. Else a checked
    // "reserve" would sit beside a visible personnummer field, and a number typed there would
    // be dropped on save. "change" only: "input" would open the exam picker's list.
    restored.forEach(function (el) {
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function labelFor(form, data) {
    // A routine form begun without a case is named by the case code or patient typed into it.
    var bits = [data.case_code || data.blank_code, data.patient_name, data.personal_number || data.reserve_number || data.patient_ref, data.exam_text];
    // Cut by characters, not UTF-16 units: half an emoji is no character the laptop can store.
    return Array.from(bits.filter(function (b) { return b; }).join(" · ")).slice(0, 190).join("");
  }

  // The login this page runs under. Each copy kept on the tablet names the login it was typed
  // under: on a shared tablet the next person's page may send it, and the laptop must not take
  // it for theirs. The laptop checks nothing by it; it only says whose text it is.
  function currentLogin() {
    var id = parseInt(document.body.getAttribute("data-user-id") || "", 10);
    return id ? { id: id, name: document.body.getAttribute("data-user-name") || "" } : null;
  }
  function isOtherLogin(entry) {
    var me = currentLogin();
    return !!entry && (!me || typedUnder(entry) !== me.id);
  }

  // A draft's label as every list of drafts shows it (the laptop's draft_typed.masked_label):
  // the tablet built it with the number typed in full. The personnummer typed into the form is
  // shown as the laptop stores it, century and all, its last four hidden; any other number of
  // that shape (a wrong check digit, a transfer's patient) keeps its digits but the last four.
  var DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2212]/g;
  // No look-behind: Safari before 16.4 cannot parse one, and would drop this whole file. The
  // character before the number is taken and put back instead.
  var NUMBER_RE = /(^|\P{Nd})(\p{Nd}{6}|\p{Nd}{8})([-+ ]?)\p{Nd}{4}(?!\p{Nd})/gu;
  function compact(text) { return text.split(/\s+/).join(""); }
  function luhnDigit(nine) {
    var total = 0;
    for (var i = 0; i < 9; i++) {
      var product = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
      total += Math.floor(product / 10) + product % 10;
    }
    return (10 - total % 10) % 10;
  }
  function after(a, b) { return a[0] !== b[0] ? a[0] > b[0] : a[1] !== b[1] ? a[1] > b[1] : a[2] > b[2]; }
  // identity.parse_personal_number: the 12 digits, or null if the text is no valid number.
  function personalNumber(text, today) {
    var m = /^([0-9]{6}|[0-9]{8})([-+]?)([0-9]{4})$/.exec(compact(text).replace(DASHES, "-"));
    if (!m || (m[1].length === 8 && m[2] === "+")) return null;
    var ten = m[1].slice(-6) + m[3];
    if (luhnDigit(ten.slice(0, 9)) !== Number(ten[9])) return null;
    var month = Number(m[1].slice(-4, -2)), day = Number(m[1].slice(-2));
    if (day > 60) day -= 60;
    var year;
    if (m[1].length === 8) {
      year = Number(m[1].slice(0, 4));
    } else if (m[2] === "+") {
      // At least a hundred years back: the latest such year ending in these two digits.
      var latest = today[0] - 100;
      year = latest - (latest - Number(m[1].slice(0, 2))) % 100;
    } else {
      year = today[0] - (today[0] - Number(m[1].slice(0, 2))) % 100;
      if (after([year, month, day], today)) year -= 100;
    }
    var born = new Date(0);
    born.setUTCFullYear(year, month - 1, day);
    if (year < 1 || born.getUTCMonth() !== month - 1 || born.getUTCDate() !== day) return null;
    if (after([year, month, day], today)) return null;
    return String(year).padStart(4, "0") + m[1].slice(-4) + m[3];
  }
  // draft_typed.typed_patient_of, as far as a masked label needs it.
  function typedPatient(kind, data) {
    var reserve = false, value;
    if (kind === "referral" || kind === "blank_referral") {
      reserve = data.id_mode === "reserve";
      value = data[reserve ? "reserve_number" : "personal_number"];
    } else if (kind === "transfer") {
      value = data.patient_ref;
    }
    if (typeof value !== "string" || !value.trim()) return "";
    var t = window.Reservrutin.siteClock(new Date());
    var number = reserve ? null : personalNumber(value, [Number(t.year), Number(t.month), Number(t.day)]);
    return number || compact(value);
  }
  function maskedLabel(kind, label, data) {
    data = data && typeof data === "object" ? data : {};
    var typed = data.personal_number, number = typedPatient(kind, data);
    if (typeof typed === "string" && typed.trim() && /^\p{Nd}{12}$/u.test(number)) {
      label = label.split(typed.trim()).join(number.slice(0, 8) + "-****");
    }
    return label.replace(NUMBER_RE, function (all, before, date, separator) { return before + date + (separator || "-") + "****"; });
  }

  window.Reservrutin = window.Reservrutin || {};
  window.Reservrutin.drafts = {
    maskedLabel: maskedLabel,
    STORE_PREFIX: STORE_PREFIX,
    CASE_KINDS: CASE_KINDS,
    parseJSON: parseJSON,
    newKey: newKey,
    baseOf: baseOf,
    typedUnder: typedUnder,
    continuedUnder: continuedUnder,
    collect: collect,
    apply: apply,
    labelFor: labelFor,
    currentLogin: currentLogin,
    isOtherLogin: isOtherLogin
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
        // Not so when the form was sent from another tablet's older copy without this text.
        if (body.state === "done" && !CASE_KINDS[entry.kind] && body.in_sent !== false) { window.localStorage.removeItem(storeKey); return; }
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
        offerHere(entry, key);
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

  // A copy left behind of the very form open on this page (the same form of the same case, typed
  // offline and its tab closed): the page was drawn before the copy reached the laptop, so its
  // offer of the laptop's drafts lacks it, and the form shows empty while the text is only in
  // the list of drafts. It is offered beside the form, as the laptop offers a draft.
  function offerHere(entry, key) {
    if (!entry.path || entry.path !== window.location.pathname) return;
    var form = $all("form.clinical").filter(function (f) {
      return f.getAttribute("data-draft-kind") === entry.kind
        && (f.getAttribute("data-case-id") || null) === (entry.caseId || null);
    })[0];
    // Offered already: the laptop held an earlier state of it when the page was drawn.
    if (!form || document.querySelector("a[href*='draft=" + encodeURIComponent(key) + "']")) return;
    var en = document.documentElement.lang === "en";
    var t = window.Reservrutin.siteClock(new Date(entry.at || 0));
    var box = document.createElement("div");
    box.className = "panel drafts-hint draft-offer";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", en ? "Unsaved changes" : "Osparade ändringar");
    var text = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = (en ? "Unsaved change from " : "Osparad ändring från ") + t.hour + ":" + t.minute
      + (en ? " on this tablet" : " på den här plattan");
    text.appendChild(strong);
    var actions = document.createElement("div");
    actions.className = "actions";
    var link = document.createElement("a");
    link.className = "btn btn-small btn-primary";
    link.href = entry.path + "?draft=" + encodeURIComponent(key) + "&draft_kind=" + encodeURIComponent(entry.kind);
    link.textContent = en ? "Continue" : "Fortsätt";
    actions.appendChild(link);
    var row = document.createElement("div");
    row.className = "draft-offer-row";
    row.appendChild(text);
    row.appendChild(actions);
    box.appendChild(row);
    form.parentNode.insertBefore(box, form);
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
      var what = maskedLabel(entry.kind, entry.label || "", entry.data) || (en ? "Untitled draft" : "Utkast utan namn");
      if (entry.path) {
        var link = document.createElement("a");
        // The kind too: a page with several autosaved forms (the case page) gives the key,
        // which the laptop has no draft of, to the form it was typed in.
        link.href = entry.path + "?draft=" + encodeURIComponent(key) + (entry.kind ? "&draft_kind=" + encodeURIComponent(entry.kind) : "");
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
