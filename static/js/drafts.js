// Autosave of the clinical forms: to the laptop within seconds, and to this tablet while the
// Wi-Fi is down (what a copy holds of its form, and the tablet's copies of other forms:
// draft-copies.js; the save request, the send on leaving and what a submit names of its copy:
// draft-send.js).
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  // The time of day on the site's clock (app.js): a tablet left on UTC would otherwise say
  // "since 08:15" at 10:15, a board two hours old.
  function siteClock(d) {
    var t = window.Reservrutin.siteClock(d);
    return t.hour + ":" + t.minute + ":" + t.second;
  }

  var shared = window.Reservrutin.drafts;
  var STORE_PREFIX = shared.STORE_PREFIX;
  var CASE_KINDS = shared.CASE_KINDS;
  var parseJSON = shared.parseJSON;
  var newKey = shared.newKey;
  var baseOf = shared.baseOf;
  var typedUnder = shared.typedUnder;
  var continuedUnder = shared.continuedUnder;
  var collect = shared.collect;
  var apply = shared.apply;
  var labelFor = shared.labelFor;
  var currentLogin = shared.currentLogin;
  var isOtherLogin = shared.isOtherLogin;
  var outgoing = window.Reservrutin.draftSend;

  var MAX_UNSENT_MS = 4000;
  var SUBMIT_PENDING_MS = 10000;
  // A save the laptop never answers (asleep, Wi-Fi associated but dropping every packet) would
  // leave the last "saved" showing while the text typed since is on the tablet only.
  var SAVE_TIMEOUT_MS = 8000;

  // Each copy of a form (a page on a tablet) names itself to the laptop: a save of its own
  // whose answer was lost is then not taken for another tablet's.
  function newWriter() { return newKey().slice(0, 22); }

  // The count of the laptop's text a page opened on a draft shows (the page is drawn from it).
  function shownCount(key) {
    var parts = (document.body.getAttribute("data-draft-base") || "").split(" ");
    return parts.length === 2 && parts[0] === key ? parseInt(parts[1], 10) || 0 : null;
  }

  // Visually hidden, and on the page from the start: a live region is heard only when it was
  // there before its text changed.
  function liveRegionBeside(status) {
    var region = document.createElement("p");
    region.className = "sr-only draft-heard";
    region.setAttribute("role", "status");
    region.setAttribute("aria-live", "polite");
    status.parentNode.insertBefore(region, status.nextSibling);
    return region;
  }

  function setupAutosave(form) {
    var kind = form.getAttribute("data-draft-kind");
    var keyField = form.elements.form_key || form.querySelector("input[name$='-form_key']");
    if (!kind || !keyField || !keyField.value || !window.fetch) return;
    var key = keyField.value;
    var status = $(".draft-status", form);
    var storeKey = STORE_PREFIX + key;
    var seq = 0;
    // The copy (key and count) this page last sent: sending it again is a retry, not typing.
    var lastSent = "";
    var timer = null;
    var pendingSince = 0;
    var sending = null;
    var en = document.documentElement.lang === "en";
    // Set while the laptop says the form's incident has ended: the text is kept there, but the
    // form cannot be sent. Said first in the status for as long as that holds, whatever follows.
    var endedNote = null;
    // The status shown says the time of each save; read out at each, it would be heard after
    // every pause in typing. What is heard is a live region of its own, written only when the
    // kind of state changes (saved, no connection, logged out, saved again...).
    var heard = status ? liveRegionBeside(status) : null;
    var heardKind = null;
    function say(stateKind, sv, enText) {
      if (!status) return;
      var text = en ? enText : sv;
      status.textContent = endedNote ? (en ? endedNote[1] : endedNote[0]) + (text ? " " + text : "") : text;
      var kindNow = (endedNote ? "ended " : "") + stateKind;
      if (kindNow === heardKind) return;
      heardKind = kindNow;
      heard.textContent = status.textContent;
    }
    // Another script's word in the status (the template picker's refusal) counts as a state.
    form.sayDraftStatus = say;
    function markEnded(isEnded, hms) {
      var at = hms ? " " + hms : "";
      // A note of the outage's log is nothing anyone keys into RIS: it missed the log, which
      // takes no note once the outage has ended.
      endedNote = !isEnded ? null : kind === "incident_note"
        ? ["Driftstoppet är avslutat – anteckningen kommer inte med i loggen. Texten är sparad på datorn" + at + " och sekreterarna ser den. Säg till den som följer upp driftstoppet om något i den är viktigt.",
           "The outage is closed – the note will not go into the log. The text is saved on the laptop" + at + " and the secretaries can see it. Tell whoever follows up the outage if anything in it matters."]
        : ["Driftstoppet är avslutat – formuläret kan inte skickas här. Texten är sparad på datorn" + at + " och sekreterarna ser den. För in uppgifterna direkt i RIS eller säg till en sekreterare.",
           "The outage is closed – this form cannot be sent here. The text is saved on the laptop" + at + " and the secretaries can see it. Key it into RIS directly or tell a secretary."];
      if (!status) return;
      status.classList.toggle("draft-ended", isEnded);
      // A status is read out politely; this one the user must not miss. An aria-live="polite"
      // would outweigh the alert's role, so it changes too.
      heard.setAttribute("role", isEnded ? "alert" : "status");
      heard.setAttribute("aria-live", isEnded ? "assertive" : "polite");
    }

    var local = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
    if (local && local.ended) markEnded(true, "");
    var writer = (local && local.writer) || newWriter();
    // What the text on this page goes on from: an unsent copy's own base (its text is put back
    // below); else the laptop's draft the page was drawn from, or the laptop's copy of this
    // tablet's last save; 0 for a form the laptop has no draft of.
    var shown = shownCount(key);
    var base = local && !local.synced ? baseOf(local)
      : shown !== null ? shown : local && local.synced ? (local.seq || 0) : 0;
    // The login the text in this form was begun under, as kept with the copy: the user's own,
    // or, for text restored from another login's copy, that login's for as long as the text
    // lives. Whoever types on in it is kept beside it (continuer), never in its place: else
    // the first person's text would reach the laptop as the next one's own.
    var typist = currentLogin() || { id: 0, name: "" };
    var continuer = null;
    if (local && local.data) {
      // This tablet has typed more than the server got (e.g. Wi-Fi dropped): put it back.
      seq = local.seq || 0;
      if (!local.synced && isOtherLogin(local)) {
        // Typed under someone else's login (a shared tablet, their session ended): shown, as
        // nothing may be lost, but never as this user's own text.
        typist = { id: typedUnder(local), name: local.userName || "" };
        continuer = continuedUnder(local) ? { id: local.contId, name: local.contName || "" } : null;
        apply(form, local.data);
        showOrigin(local);
      } else if (!local.synced) {
        // The user's own text, which another login may have typed on in meanwhile.
        continuer = continuedUnder(local) ? { id: local.contId, name: local.contName || "" } : null;
        apply(form, local.data);
        say("restored", "Återställt från plattan – skickas till datorn.", "Restored from this tablet – sending to the laptop.");
      }
    }
    // The next save counts on from the laptop's text it goes on from.
    if (base !== null && seq < base) seq = base;
    function showOrigin(entry) {
      var sv = entry.userName
        ? "Texten i formuläret skrevs offline under inloggning " + entry.userName + " enligt plattan och hade inte kommit till datorn. Den skickas nu dit som skriven under den inloggningen, skickad under din. Läs igenom den innan du fortsätter: det du skriver till sparas som fortsatt under din inloggning, och texten visar fortfarande att den påbörjades under " + entry.userName + "."
        : "Texten i formuläret skrevs offline under en tidigare inloggning på plattan och hade inte kommit till datorn. Den skickas nu dit som skickad under din inloggning. Läs igenom den innan du fortsätter: det du skriver till sparas som fortsatt under din inloggning.";
      var enText = entry.userName
        ? "The text in this form was typed offline under the login " + entry.userName + " according to this tablet and had not reached the laptop. It is now sent there as typed under that login, sent under yours. Read it through before you go on: what you add is saved as continued under your login, and the text still shows it was begun under " + entry.userName + "."
        : "The text in this form was typed offline under an earlier login on this tablet and had not reached the laptop. It is now sent there as sent under your login. Read it through before you go on: what you add is saved as continued under your login.";
      var notice = $(".draft-origin", form);
      if (!notice) {
        notice = document.createElement("p");
        notice.className = "flash draft-origin";
        notice.setAttribute("role", "alert");
        form.insertBefore(notice, form.firstChild);
      }
      notice.textContent = en ? enText : sv;
    }

    // leaving: the page may be gone before the answer (draft-send.js).
    function saveRequest(entry, leaving, signal) {
      var copy = key + " " + entry.seq;
      var retry = copy === lastSent;
      lastSent = copy;
      return outgoing.saveRequest(form, key, {
        kind: kind, seq: entry.seq, data: entry.data, label: entry.label,
        case_id: form.getAttribute("data-case-id") || null,
        incident_id: form.getAttribute("data-incident-id") || null,
        typed_under: typedUnder(entry), continued_under: continuedUnder(entry),
        writer: entry.writer || writer, base: baseOf(entry)
      }, retry, leaving, signal);
    }

    function send(leaving) {
      timer = null;
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (!entry || entry.synced) return Promise.resolve(true);
      if (sending) return sending.then(function () { return send(); });
      var ctrl = window.AbortController ? new AbortController() : null;
      var giveUp = ctrl ? window.setTimeout(function () { ctrl.abort(); }, SAVE_TIMEOUT_MS) : null;
      sending = saveRequest(entry, leaving === true, ctrl ? ctrl.signal : undefined).then(outgoing.answerOf).then(function (body) {
        window.clearTimeout(giveUp);
        sending = null;
        var latest = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
        if (body.state === "overtaken") {
          // (No copy left to keep: the tablet's storage was cleared meanwhile.)
          if (!latest) return false;
          // Another tablet saved this form from the same draft after the text this page goes on
          // from: each save holds the whole form, so this one would put that text out of the
          // laptop. What is typed here goes on as a draft of its own; both are listed.
          fork(latest, "overtaken");
          return send();
        }
        if (body.state === "stale" && latest && latest.seq === entry.seq) {
          // A copy kept before copies named the laptop's count they go on from (its first save
          // only; the answer gives this page its base): the laptop holds a later count, so what
          // is typed here goes on after it.
          seq = Math.max(seq, body.seq || 0) + 1;
          latest.seq = seq;
          window.localStorage.setItem(storeKey, JSON.stringify(latest));
          return send();
        }
        if ((body.state === "discarded" || (body.state === "done" && (CASE_KINDS[kind] || body.in_sent === false))) && latest && !latest.synced && !sentHere()) {
          // Sent from another tablet, or thrown away in the list, while this one was typing:
          // what is typed here goes on as a draft of its own, so it is kept. A form of a case
          // stands on the version this form showed, so saving it shows what changed instead of
          // overwriting. A new form thrown away is kept too: the list did not know it was typed.
          fork(latest, body.state === "discarded" ? "discarded" : "sent");
          return send();
        }
        if (body.state === "done" || body.state === "discarded") {
          // Sent from another tablet, or thrown away in the list: the laptop takes no more of it.
          say("closed", "Formuläret är redan skickat eller slängt – det du skriver här sparas inte. Öppna formuläret på nytt för att ändra.",
              "This form has already been sent or thrown away – what you type here is not saved. Open the form again to change it.");
          return false;
        }
        // The laptop now holds this text (or the very same text at a later count): what is
        // typed next goes on from it.
        base = Math.max(entry.seq, body.seq || 0);
        if (seq < base) seq = base;
        if (latest && latest.seq === entry.seq) {
          latest.synced = true;
          // Kept with the copy: the page drawn again (a refused submit) says it at once.
          latest.ended = !!body.incident_ended;
        }
        if (latest) {
          latest.base = base;
          window.localStorage.setItem(storeKey, JSON.stringify(latest));
        }
        var hms = siteClock(new Date());
        markEnded(!!body.incident_ended, hms);
        if (endedNote) {
          say("saved", "", "");
        } else if (forked === "discarded") {
          say("forked " + forked, "Utkastet slängdes från listan medan du skrev. Din text är sparad som ett nytt utkast " + hms + ".",
              "The draft was thrown away from the list while you typed. Your text is saved as a new draft " + hms + ".");
        } else if (forked === "overtaken") {
          say("forked " + forked, "Samma utkast sparades från en annan platta medan du skrev. Din text är sparad som ett eget utkast " + hms + " – den andra plattans text finns kvar under Utkast.",
              "The same draft was saved from another tablet while you typed. Your text is saved as a draft of its own " + hms + " – the other tablet's text is kept under Drafts.");
        } else if (forked === "sent" && !CASE_KINDS[kind]) {
          say("forked " + forked, "Formuläret skickades från en annan platta utan det du skrivit här. Din text är sparad som ett eget utkast " + hms + " – jämför med det som skickades innan du sparar, så att det inte blir två.",
              "The form was sent from another tablet without what you typed here. Your text is saved as a draft of its own " + hms + " – compare it with what was sent before you save, so that there are not two.");
        } else if (forked) {
          say("forked " + forked, "Formuläret sparades från en annan platta medan du skrev. Din text är sparad som ett eget utkast " + hms + " – när du sparar visas det som ändrats.",
              "The form was saved from another tablet while you typed. Your text is saved as a draft of its own " + hms + " – when you save, what changed is shown.");
        } else {
          say("saved", "Utkast sparat på datorn " + hms, "Draft saved on the laptop " + hms);
        }
        form.setAttribute("data-draft-synced", String(entry.seq));
        if (latest && latest.seq !== entry.seq) return send();
        return true;
      }).catch(function (err) {
        window.clearTimeout(giveUp);
        sending = null;
        if (err && err.message === "logged out") {
          // Retrying is of no use until the user logs in again, which reloads this form.
          say("logged-out", "Du är utloggad. Texten finns kvar på plattan och sparas när du har loggat in igen.",
              "You are logged out. The text is kept on this tablet and saved once you have logged in again.");
          return false;
        }
        if (err && err.message === "too large") {
          // Past the laptop's size limit (a long text pasted in): kept here as when offline, and
          // sent again when the user types on, which is what can make it fit.
          say("too-large", "Texten är för stor för att sparas automatiskt på datorn. Den finns kvar på plattan. Korta den (t.ex. en inklistrad text) så sparas den igen.",
              "The text is too large to be saved automatically on the laptop. It is kept on this tablet. Shorten it (e.g. a pasted text) and it is saved again.");
          return false;
        }
        if (err && err.message === "refused") {
          // The laptop answered but would not store it (e.g. a new login in another tab made
          // this page's security token old): a reload fetches a new one and brings the text back.
          // Not sent again on a timer: the same text gets the same answer, and is sent anew when
          // the user types on or reloads.
          say("refused", "Datorn tog inte emot utkastet. Texten finns kvar på plattan – ladda om sidan så skickas den.",
              "The laptop did not accept the draft. The text is kept on this tablet – reload the page to send it.");
          return false;
        }
        if (err && err.message === "failed") {
          say("failed", "Datorn kunde inte spara utkastet just nu. Texten finns kvar på plattan och skickas igen om en stund.",
              "The laptop could not save the draft just now. The text is kept on this tablet and sent again shortly.");
          schedule(30000);
          return false;
        }
        say("offline", "Ingen kontakt – utkastet finns på plattan och skickas när kontakten är tillbaka.",
            "No connection – the draft is kept on this tablet and sent when the connection returns.");
        schedule(5000);
        return false;
      });
      return sending;
    }
    var forked = false;
    function sentHere() {
      // This tablet's own submit is on its way: its draft is done because it was sent from here.
      return Date.now() - parseInt(form.getAttribute("data-sent-at") || "0", 10) < SUBMIT_PENDING_MS;
    }
    // why: "discarded" (thrown away from the list), "sent" (the form sent from another tablet)
    // or "overtaken" (saved further from another tablet).
    function fork(latest, why) {
      var oldKey = key;
      window.localStorage.removeItem(storeKey);
      key = newKey();
      storeKey = STORE_PREFIX + key;
      keyField.value = key;
      seq = 1;
      base = 0;
      latest.seq = seq;
      latest.base = 0;
      latest.writer = writer;
      latest.synced = false;
      latest.at = Date.now();
      latest.data.form_key = key;
      window.localStorage.setItem(storeKey, JSON.stringify(latest));
      forked = why;
      // The template picker carries the draft key too.
      $all("input[name='draft']").forEach(function (el) { if (el.value === oldKey) el.value = key; });
      rememberInUrl();
    }
    // Another page may take over this draft (the template picker): it must be on the laptop first.
    form.flushDraft = function () {
      if (timer) { window.clearTimeout(timer); timer = null; }
      return send();
    };
    function schedule(ms) { if (timer) window.clearTimeout(timer); timer = window.setTimeout(send, ms); }
    function rememberInUrl() {
      // A reload must come back to this draft, not to an empty form with a new key.
      if (!window.history.replaceState) return;
      // A form beside the page's main one (the report screen's instruction) keeps its key
      // under a name of its own, so a reload continues both.
      var param = form.getAttribute("data-draft-param") || "draft";
      var params = new URLSearchParams(window.location.search);
      if (params.get(param) === key) return;
      params.set(param, key);
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    }
    function keepCopy(data, synced) {
      window.localStorage.setItem(storeKey, JSON.stringify({ seq: seq, base: base, writer: writer, data: data, label: labelFor(form, data), kind: kind, synced: synced, at: Date.now(), path: location.pathname,
                                                             caseId: form.getAttribute("data-case-id") || null, incidentId: form.getAttribute("data-incident-id") || null,
                                                             userId: typist.id, userName: typist.name,
                                                             contId: continuer ? continuer.id : 0, contName: continuer ? continuer.name : "" }));
    }
    function changed(ev) {
      // The user's own edit in text begun under another login makes them its continuer; the
      // restoring of that login's copy (events the page sends itself) does not.
      var me = currentLogin();
      if (ev && ev.isTrusted && me && me.id !== typist.id) continuer = me;
      var data = collect(form);
      // A "change" that follows the "input" already kept (leaving the field) changes nothing: a
      // new unsent copy of the same text would stay on the tablet after the user has gone.
      var prev = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (prev && JSON.stringify(prev.data) === JSON.stringify(data)) return;
      seq += 1;
      rememberInUrl();
      keepCopy(data, false);
      // Typing without a pause must still reach the laptop within seconds, not at the first pause.
      if (timer && Date.now() - pendingSince > MAX_UNSENT_MS) return;
      if (!timer) pendingSince = Date.now();
      schedule(1500);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    // A page drawn again by a refused submit shows the text sent but names no count of the
    // laptop's: with no copy here (a draft continued and sent before anything was typed), what is
    // typed next would count from 0 as a stranger and be split off as another tablet's.
    function copyNow() { return { writer: writer, base: base, seq: seq, kind: kind }; }
    form.addEventListener("submit", function () {
      outgoing.markSentCopy(form, copyNow());
      if (!base || window.localStorage.getItem(storeKey)) return;
      keepCopy(collect(form), true);
    });
    outgoing.offerSendAnyway(form, copyNow);
    window.addEventListener("online", function () { schedule(100); });
    outgoing.whenLeaving(function () {
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      // A submit of the form carries the text itself (and its page keeps the copy if refused).
      if (!entry || entry.synced || sentHere()) return;
      if (sending) {
        // A save is on its way and the newer text waits for its answer, which a closed page
        // never gets: the newer text goes too. Its answer is left to the save that follows
        // (or to the next page's), which the laptop then holds already.
        saveRequest(entry, true, undefined).catch(function () { /* kept on the tablet */ });
        return;
      }
      if (timer) { window.clearTimeout(timer); timer = null; }
      send(true);
    });
    if (local && !local.synced) { rememberInUrl(); schedule(300); }
  }

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    $all("form.clinical").forEach(setupAutosave);
  });
})();
