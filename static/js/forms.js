// Form helpers on every page: "Nu" buttons, identity mode, Enter to the next field, and the fax
// log after printing (the exam and safety fields: exam-fields.js; the report editor:
// report-editor.js; autosave: drafts.js).
(function () {
  "use strict";

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  // A typed time is read on the site's clock (app.js: siteClock), so "now" is filled in on it.
  function localText(d) {
    var t = window.Reservrutin.siteClock(d);
    return t.year + "-" + t.month + "-" + t.day + "T" + t.hour + ":" + t.minute;
  }
  function fire(el) { el.dispatchEvent(new Event("input", { bubbles: true })); el.dispatchEvent(new Event("change", { bubbles: true })); }

  // ---- "Nu" buttons: fill a date/time picker without typing.
  // Beside each picker the server draws a hidden "<name>_utc": the exact instant its text was
  // written for. In the hour the autumn change repeats, "02:30" is two instants, and only the
  // button knows which one it meant (cases/fields.py: LocalDateTimeField).
  function instantOf(input) {
    return input.form && input.name ? input.form.elements.namedItem(input.name + "_utc") : null;
  }
  function setupNowButtons(root) {
    $all(".now-button", root).forEach(function (btn) {
      btn.addEventListener("click", function () {
        var input = document.getElementById(btn.getAttribute("data-now-for"));
        if (!input) return;
        var now = new Date();
        input.value = localText(now);
        var instant = instantOf(input);
        if (instant) instant.value = now.toISOString();
        fire(input);
      });
    });
    // A time changed by hand is no longer the instant beside it: the server then reads the
    // text by its own rule. A restored draft keeps a pair that still agrees.
    function forget(ev) {
      var input = ev.target;
      if (!input || input.type !== "datetime-local") return;
      var instant = instantOf(input);
      if (!instant || !instant.value) return;
      var at = new Date(instant.value);
      if (isNaN(at.getTime()) || localText(at) !== input.value.slice(0, 16)) instant.value = "";
    }
    root.addEventListener("input", forget, true);
    root.addEventListener("change", forget, true);
  }

  // ---- A choice that means "it happened now" fills its empty time as the "Nu" button would
  // ("Ja, skickade" and the PACS send time: one tap, not two). The time stays in view to
  // change; it is taken away again if the choice is changed before the time was touched, or
  // the server would refuse a time for images not sent.
  function setupNowOnChoice(form) {
    $all(".now-button[data-now-on]", form).forEach(function (btn) {
      var input = document.getElementById(btn.getAttribute("data-now-for"));
      var rule = btn.getAttribute("data-now-on").split("=");
      var radios = $all("input[type='radio']", form).filter(function (r) { return r.name === rule[0]; });
      if (!input || !radios.length) return;
      var filled = null;
      radios.forEach(function (r) {
        r.addEventListener("change", function (ev) {
          // Only a choice made now means "now": a draft put back (draft-copies.js: apply) fires
          // "change" too, and would write the moment of the restore as the send time.
          if (!r.checked || !ev.isTrusted) return;
          if (r.value === rule[1]) {
            if (input.value) return;
            btn.click();
            filled = input.value;
          } else if (filled !== null && input.value === filled) {
            input.value = "";
            var instant = instantOf(input);
            if (instant) instant.value = "";
            filled = null;
            fire(input);
          }
        });
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

  // ---- Enter goes on to the next field in a long form (opted in with data-enter-next): the
  // iPad keyboard's "Gå" key is Enter, and it sent referrals before the clinical question and
  // the safety answers were read. Short forms keep sending on Enter: login, PIN, and the scan
  // station, where a barcode scanner types the code and then Enter.
  var NOT_TYPED = { submit: 1, button: 1, reset: 1, image: 1, file: 1, hidden: 1 };
  function isTypedInput(el) {
    return !!el && el.tagName === "INPUT" && !NOT_TYPED[el.type];
  }
  // The fields Tab stops at, in its order: shown and enabled, one stop for a group of radios
  // (its checked one, else its first). Buttons are no stop: Enter twice must not send.
  function stopsOf(form) {
    var groups = {};
    return Array.prototype.filter.call(form.elements, function (el) {
      var tag = el.tagName;
      if (tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA") return false;
      if (tag === "INPUT" && NOT_TYPED[el.type]) return false;
      if (el.disabled || el.tabIndex < 0 || !el.getClientRects().length) return false;
      if (window.getComputedStyle(el).visibility === "hidden") return false;
      if (el.type !== "radio") return true;
      if (groups[el.name]) return false;
      var checked = $all("input[type='radio']", form).filter(function (r) {
        return r.name === el.name && r.checked;
      })[0];
      if (checked && checked !== el && checked.getClientRects().length) return false;
      groups[el.name] = true;
      return true;
    });
  }
  function positionIn(stops, el) {
    for (var i = 0; i < stops.length; i++) {
      if (stops[i] === el || (el.type === "radio" && stops[i].type === "radio" && stops[i].name === el.name)) return i;
    }
    return -1;
  }
  function setupEnterNext(form) {
    // What the iPad's Enter key says, for the fields as they are shown now: which ones are
    // shown changes with the identity mode and the safety questions the exam needs.
    function label() {
      var stops = stopsOf(form);
      var typed = stops.filter(isTypedInput);
      typed.forEach(function (el) {
        el.setAttribute("enterkeyhint", el === stops[stops.length - 1] ? "done" : "next");
      });
    }
    form.addEventListener("focusin", function (ev) { if (isTypedInput(ev.target)) label(); });
    form.addEventListener("keydown", function (ev) {
      // A picker that took the Enter (the exam list) has already said so; composing text
      // (an accent, a suggestion) is not done yet.
      if (ev.defaultPrevented || ev.isComposing || ev.keyCode === 229) return;
      if (ev.key !== "Enter" && ev.keyCode !== 13) return;
      var el = ev.target;
      if (!isTypedInput(el)) return;
      ev.preventDefault();
      var stops = stopsOf(form);
      var at = positionIn(stops, el);
      if (at < 0) return;
      // Shift goes back, as with Tab: a hardware keyboard has no other way back but a tap.
      if (ev.shiftKey) {
        if (at > 0) stops[at - 1].focus();
        return;
      }
      var next = stops[at + 1];
      // After the last field there is nothing to go to: the keyboard is put away, so the save
      // button it covered shows.
      if (next) next.focus(); else el.blur();
    });
    label();
  }

  // ---- After printing the report sheet (a new tab), the log of the fax is what comes next.
  function setupThenShow() {
    $all("[data-then-show]").forEach(function (link) {
      link.addEventListener("click", function () {
        var panel = document.getElementById(link.getAttribute("data-then-show"));
        if (!panel) return;
        var details = panel.querySelector("details");
        if (details) details.open = true;
        panel.scrollIntoView({ block: "start" });
        var submit = panel.querySelector("button[type='submit']");
        if (submit) submit.focus({ preventScroll: true });
      });
    });
  }

  onReady(function () {
    // Every "Nu" button on the page, not only those of the autosaved forms: the call, fax and
    // dispatch forms have them too.
    setupNowButtons(document);
    setupThenShow();
    $all("form[data-enter-next]").forEach(setupEnterNext);
    $all("form.clinical").forEach(function (form) {
      setupIdMode(form);
      setupNowOnChoice(form);
    });
  });

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
})();
