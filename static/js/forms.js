// Clinical forms: exam search, "now" buttons, identity mode, safety questions, autosave drafts.
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function localNow() {
    var d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function parseJSON(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }
  function fire(el) { el.dispatchEvent(new Event("input", { bubbles: true })); el.dispatchEvent(new Event("change", { bubbles: true })); }

  // ---- "Nu" buttons: fill a date/time picker without typing.
  function setupNowButtons(form) {
    $all(".now-button", form).forEach(function (btn) {
      btn.addEventListener("click", function () {
        var input = document.getElementById(btn.getAttribute("data-now-for"));
        if (input) { input.value = localNow(); fire(input); }
      });
    });
  }

  // ---- Identity mode: show personnummer or reserve-number fields.
  function setupIdMode(form) {
    var radios = $all("input[name='id_mode']", form);
    if (!radios.length) return;
    function update() {
      var mode = (radios.filter(function (r) { return r.checked; })[0] || radios[0]).value;
      $all("[data-when-id]", form).forEach(function (box) {
        box.hidden = box.getAttribute("data-when-id") !== mode;
      });
    }
    radios.forEach(function (r) { r.addEventListener("change", update); });
    update();
  }

  // ---- Exam picker: an ARIA combobox over the site's catalogue; free text stays allowed.
  function setupExamPicker(form) {
    var input = $("#exam_text", form);
    var list = $("#exam-options", form);
    var codeField = $("#exam_code", form);
    if (!input || !list) return;
    var catalogue = parseJSON(form.getAttribute("data-catalogue") || "[]", []);
    var active = -1;
    var matches = [];
    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1; }
    function choose(item) {
      input.value = item.name;
      if (codeField) codeField.value = item.code;
      var modality = $("#modality", form);
      if (modality && item.modality) { modality.value = item.modality; fire(modality); }
      var contrast = $("#contrast_planned", form);
      if (contrast) { contrast.checked = !!item.contrast; fire(contrast); }
      close();
      fire(input);
    }
    function render() {
      var q = input.value.trim().toLowerCase();
      matches = !q ? [] : catalogue.filter(function (e) {
        return e.name.toLowerCase().indexOf(q) !== -1 || e.code.toLowerCase().indexOf(q) !== -1;
      }).slice(0, 8);
      list.innerHTML = "";
      matches.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = "exam-option-" + i;
        li.setAttribute("role", "option");
        li.className = "option" + (i === active ? " active" : "");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.textContent = item.name + " (" + item.modality + ")";
        li.addEventListener("pointerdown", function (ev) { ev.preventDefault(); choose(item); });
        list.appendChild(li);
      });
      var open = matches.length > 0;
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (active >= 0) input.setAttribute("aria-activedescendant", "exam-option-" + active);
    }
    input.addEventListener("input", function (ev) {
      if (ev.isTrusted && codeField) codeField.value = "";
      active = -1; render();
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0) { choose(matches[active]); ev.preventDefault(); }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  // ---- Which safety facts the exam needs: mirrors ReferralForm.needs() on the server.
  function setupSafety(form) {
    var boxes = $all("[data-need]", form);
    if (!boxes.length) return;
    var catalogue = parseJSON(form.getAttribute("data-catalogue") || "[]", []);
    var modalities = parseJSON(form.getAttribute("data-modalities") || "{}", {});
    function valueOf(name) {
      var checked = $("input[name='" + name + "']:checked", form);
      if (checked) return checked.value;
      var el = form.elements[name];
      return el && el.value !== undefined ? el.value : "";
    }
    function mayBePregnant() {
      // Editing a saved referral: the identity is not in the form, the server says.
      var fixed = form.getAttribute("data-may-be-pregnant");
      if (fixed) return fixed === "yes";
      if (valueOf("id_mode") === "reserve") {
        if (valueOf("sex") === "M") return false;
        var age = parseInt(valueOf("approx_age"), 10);
        return isNaN(age) || (age >= 10 && age <= 60);
      }
      var digits = (valueOf("personal_number") || "").replace(/[^0-9]/g, "");
      if (digits.length !== 10 && digits.length !== 12) return true;
      var sexDigit = parseInt(digits.charAt(digits.length - 2), 10);
      if (sexDigit % 2 === 1) return false;
      var year = digits.length === 12 ? parseInt(digits.slice(0, 4), 10) : null;
      if (year === null) {
        var yy = parseInt(digits.slice(0, 2), 10);
        var now = new Date().getFullYear();
        year = 2000 + yy > now ? 1900 + yy : 2000 + yy;
      }
      var age2 = new Date().getFullYear() - year;
      return age2 >= 10 && age2 <= 60;
    }
    function update() {
      var code = valueOf("exam_code");
      var exam = catalogue.filter(function (e) { return e.code === code; })[0];
      var mod = modalities[valueOf("modality")] || {};
      var contrastBox = $("#contrast_planned", form);
      var needs = {
        contrast: (contrastBox && contrastBox.checked) || !!(exam && exam.contrast),
        mr: !!(exam && exam.mr) || !!mod.mr,
        pregnancy: (!!(exam && exam.pregnancy) || !!mod.pregnancy) && mayBePregnant()
      };
      boxes.forEach(function (box) {
        var need = box.getAttribute("data-need");
        box.classList.toggle("needed", !!needs[need]);
        // Pregnancy is only asked when relevant; the others stay visible as optional facts.
        if (need === "pregnancy") box.hidden = !needs.pregnancy && !box.querySelector(".error");
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  // ---- Autosave: to the laptop within seconds, and to this tablet while the Wi-Fi is down.
  var STORE_PREFIX = "reservrutin:draft:";
  var MAX_UNSENT_MS = 4000;

  function collect(form) {
    var data = {};
    $all("input, select, textarea", form).forEach(function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "password") return;
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; else if (!(el.name in data)) data[el.name] = ""; return; }
      if (el.type === "checkbox") { data[el.name] = el.checked ? (el.value || "y") : ""; return; }
      data[el.name] = el.value;
    });
    return data;
  }

  function apply(form, data) {
    Object.keys(data).forEach(function (name) {
      if (name === "form_key") return;
      $all("[name='" + name + "']", form).forEach(function (el) {
        if (el.type === "radio") el.checked = el.value === data[name];
        else if (el.type === "checkbox") el.checked = !!data[name];
        else el.value = data[name] == null ? "" : data[name];
      });
    });
  }

  function labelFor(form, data) {
    var bits = [data.patient_name, data.personal_number || data.reserve_number, data.exam_text];
    return bits.filter(function (b) { return b; }).join(" · ").slice(0, 190);
  }

  function csrfToken(form) {
    var el = form.querySelector("input[name='csrf_token']");
    return el ? el.value : "";
  }

  function setupAutosave(form) {
    var kind = form.getAttribute("data-draft-kind");
    var keyField = form.elements.form_key;
    if (!kind || !keyField || !keyField.value || !window.fetch) return;
    var key = keyField.value;
    var status = $(".draft-status", form);
    var storeKey = STORE_PREFIX + key;
    var seq = 0;
    var timer = null;
    var pendingSince = 0;
    var sending = null;
    var en = document.documentElement.lang === "en";
    function say(sv, enText) { if (status) status.textContent = en ? enText : sv; }

    var local = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
    if (local && local.data) {
      // This tablet has typed more than the server got (e.g. Wi-Fi dropped): put it back.
      seq = local.seq || 0;
      if (!local.synced) { apply(form, local.data); say("Återställt från plattan – skickas till datorn.", "Restored from this tablet – sending to the laptop."); }
    }

    function send() {
      timer = null;
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (!entry || entry.synced) return Promise.resolve(true);
      if (sending) return sending.then(send);
      sending = fetch("/api/drafts/" + encodeURIComponent(key), {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) },
        body: JSON.stringify({ kind: kind, seq: entry.seq, data: entry.data, label: entry.label,
                               case_id: form.getAttribute("data-case-id") || null,
                               incident_id: form.getAttribute("data-incident-id") || null })
      }).then(function (res) {
        if (res.status === 401) throw new Error("logged out");
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      }).then(function (body) {
        sending = null;
        var latest = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
        if (body.state === "stale" && latest && latest.seq === entry.seq) {
          // The laptop holds a later count, typed on another tablet that had this form open:
          // what is typed here now is the newest, so it goes on after that count.
          seq = Math.max(seq, body.seq || 0) + 1;
          latest.seq = seq;
          window.localStorage.setItem(storeKey, JSON.stringify(latest));
          return send();
        }
        if (body.state === "done") {
          // Sent from another tablet, or thrown away in the list: the laptop takes no more of it.
          say("Formuläret är redan skickat eller slängt – det du skriver här sparas inte. Öppna formuläret på nytt för att ändra.",
              "This form has already been sent or thrown away – what you type here is not saved. Open the form again to change it.");
          return false;
        }
        if (latest && latest.seq === entry.seq) { latest.synced = true; window.localStorage.setItem(storeKey, JSON.stringify(latest)); }
        var t = new Date();
        say("Utkast sparat på datorn " + pad(t.getHours()) + ":" + pad(t.getMinutes()) + ":" + pad(t.getSeconds()),
            "Draft saved on the laptop " + pad(t.getHours()) + ":" + pad(t.getMinutes()) + ":" + pad(t.getSeconds()));
        form.setAttribute("data-draft-synced", String(entry.seq));
        if (latest && latest.seq !== entry.seq) return send();
        return true;
      }).catch(function (err) {
        sending = null;
        if (err && err.message === "logged out") {
          // Retrying is of no use until the user logs in again, which reloads this form.
          say("Du är utloggad. Texten finns kvar på plattan och sparas när du har loggat in igen.",
              "You are logged out. The text is kept on this tablet and saved once you have logged in again.");
          return false;
        }
        say("Ingen kontakt – utkastet finns på plattan och skickas när kontakten är tillbaka.",
            "No connection – the draft is kept on this tablet and sent when the connection returns.");
        schedule(5000);
        return false;
      });
      return sending;
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
      var params = new URLSearchParams(window.location.search);
      if (params.get("draft") === key) return;
      params.set("draft", key);
      window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
    }
    function changed() {
      seq += 1;
      rememberInUrl();
      var data = collect(form);
      window.localStorage.setItem(storeKey, JSON.stringify({ seq: seq, data: data, label: labelFor(form, data), kind: kind, synced: false, at: Date.now(), path: location.pathname,
                                                             caseId: form.getAttribute("data-case-id") || null, incidentId: form.getAttribute("data-incident-id") || null }));
      // Typing without a pause must still reach the laptop within seconds, not at the first pause.
      if (timer && Date.now() - pendingSince > MAX_UNSENT_MS) return;
      if (!timer) pendingSince = Date.now();
      schedule(1500);
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    window.addEventListener("online", function () { schedule(100); });
    if (local && !local.synced) { rememberInUrl(); schedule(300); }
  }

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
    Object.keys(window.localStorage).forEach(function (storeKey) {
      if (storeKey.indexOf(STORE_PREFIX) !== 0) return;
      var key = storeKey.slice(STORE_PREFIX.length);
      if (document.querySelector("input[name='form_key'][value='" + key.replace(/'/g, "") + "']")) return;
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (entry && entry.synced && Date.now() - (entry.at || 0) > KEEP_SENT_MS) window.localStorage.removeItem(storeKey);
    });
  }

  // A form typed without a connection and then left (tab closed, another page opened) is sent
  // from whichever page opens next, so it is in the laptop's list of drafts for every tablet.
  function sendLeftBehind() {
    var token = document.querySelector("input[name='csrf_token']");
    if (!navigator.onLine || !window.fetch || !token || !document.querySelector(".who")) return;
    Object.keys(window.localStorage).forEach(function (storeKey) {
      if (storeKey.indexOf(STORE_PREFIX) !== 0) return;
      var key = storeKey.slice(STORE_PREFIX.length);
      if (document.querySelector("input[name='form_key'][value='" + key.replace(/'/g, "") + "']")) return;
      var entry = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
      if (!entry || entry.synced || !entry.kind) return;
      fetch("/api/drafts/" + encodeURIComponent(key), {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token.value },
        body: JSON.stringify({ kind: entry.kind, seq: entry.seq, data: entry.data, label: entry.label,
                               case_id: entry.caseId || null, incident_id: entry.incidentId || null })
      }).then(function (res) { return res.ok ? res.json() : null; }).then(function (body) {
        if (!body) return;
        if (body.state === "done") { window.localStorage.removeItem(storeKey); return; }
        if (body.state !== "created" && body.state !== "saved") return;
        var latest = parseJSON(window.localStorage.getItem(storeKey) || "null", null);
        if (latest && latest.seq === entry.seq) { latest.synced = true; window.localStorage.setItem(storeKey, JSON.stringify(latest)); }
      }).catch(function () { /* still no contact: the next page tries again */ });
    });
  }

  onReady(function () {
    forgetSaved();
    forgetSentCopies();
    sendLeftBehind();
    $all("form.clinical").forEach(function (form) {
      setupNowButtons(form);
      setupIdMode(form);
      setupExamPicker(form);
      setupSafety(form);
      setupAutosave(form);
    });
  });

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
})();

// Report editor: quick phrases and the template picker.
(function () {
  "use strict";
  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll(".phrase"), function (btn) {
      btn.addEventListener("click", function () {
        var area = document.getElementById(btn.getAttribute("data-target"));
        if (!area) return;
        var phrase = btn.getAttribute("data-text");
        var start = area.selectionStart != null ? area.selectionStart : area.value.length;
        var end = area.selectionEnd != null ? area.selectionEnd : area.value.length;
        var before = area.value.slice(0, start);
        var sep = before && !/\s$/.test(before) ? " " : "";
        area.value = before + sep + phrase + area.value.slice(end);
        var caret = (before + sep + phrase).length;
        area.focus();
        area.setSelectionRange(caret, caret);
        area.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("select[data-autosubmit]"), function (sel) {
      sel.addEventListener("change", function () { switchTemplate(sel.form); });
    });
    var picker = document.getElementById("template-picker");
    if (picker) {
      picker.addEventListener("submit", function (ev) { ev.preventDefault(); switchTemplate(picker); });
    }
  }
  // The picker reloads the page with the draft key, so the server moves the typed text under the
  // new headings; the text must reach the laptop first, or it is not there to move.
  function switchTemplate(picker) {
    var editor = document.getElementById("report-form");
    var typed = editor && Array.prototype.some.call(editor.querySelectorAll("textarea"), function (t) {
      return t.value.trim() !== "";
    });
    if (!typed) { picker.submit(); return; }
    var status = editor.querySelector(".draft-status");
    var en = document.documentElement.lang === "en";
    var flush = editor.flushDraft ? editor.flushDraft() : Promise.resolve(false);
    flush.then(function (ok) {
      if (ok) { picker.submit(); return; }
      if (status) {
        status.textContent = en
          ? "No connection to the laptop – the template was not changed, so your text stays as it is."
          : "Ingen kontakt med datorn – mallen byttes inte, så att texten ligger kvar.";
      }
    });
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
