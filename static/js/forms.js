// Clinical forms: exam search, "now" buttons, identity mode, safety questions (autosave: drafts.js).
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  // A typed time is read on the site's clock (app.js: siteClock), so "now" is filled in on it.
  function localText(d) {
    var t = window.Reservrutin.siteClock(d);
    return t.year + "-" + t.month + "-" + t.day + "T" + t.hour + ":" + t.minute;
  }
  function parseJSON(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
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
          // Only a choice made now means "now": a draft put back (drafts.js: apply) fires
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

  // ---- Exam picker: an ARIA combobox over the site's catalogue; free text stays allowed.
  function setupExamPicker(form) {
    var input = $("#exam_text", form);
    var list = $("#exam-options", form);
    var codeField = $("#exam_code", form);
    if (!input || !list) return;
    var catalogue = parseJSON(form.getAttribute("data-catalogue") || "[]", []);
    var active = -1;
    var matches = [];
    // The list takes no focus, so a screen reader hears of it only here: how many, once typing
    // pauses (each keystroke's count would be read out over the next).
    var count = $("#exam-options-count", form);
    var en = document.documentElement.lang === "en";
    var countTimer = null;
    function sayCount(q) {
      window.clearTimeout(countTimer);
      if (!count) return;
      if (!q) { count.textContent = ""; return; }
      countTimer = window.setTimeout(function () {
        var n = matches.length;
        var text = n
          ? (en ? n + (n === 1 ? " suggestion" : " suggestions") + ". Up and down arrows to choose."
                : n + " förslag. Välj med pil upp och ned.")
          : (en ? "No suggestions – free text works too." : "Inga förslag – fritext går också.");
        if (count.textContent !== text) count.textContent = text;
      }, 500);
    }
    function close() {
      list.hidden = true; input.setAttribute("aria-expanded", "false"); input.removeAttribute("aria-activedescendant"); active = -1;
      window.clearTimeout(countTimer);
      if (count) count.textContent = "";
    }
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
        // The catalogue's names are the site's Swedish, read with Swedish sounds (WCAG 3.1.2).
        if (en) li.lang = "sv";
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
      sayCount(input.value.trim());
    });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { active = Math.min(active + 1, matches.length - 1); render(); ev.preventDefault(); }
      else if (ev.key === "ArrowUp") { active = Math.max(active - 1, 0); render(); ev.preventDefault(); }
      else if (ev.key === "Enter" && active >= 0) { choose(matches[active]); ev.preventDefault(); }
      else if (ev.key === "Escape") { close(); }
    });
    // Closed a moment after the focus leaves, unless it came back meanwhile: a close still
    // pending from leaving the field would shut the list opened by typing in it again.
    input.addEventListener("blur", function () {
      window.setTimeout(function () { if (document.activeElement !== input) close(); }, 150);
    });
  }

  // ---- Rooms: only the chosen modality's are offered (ExamForm.validate refuses the others).
  // A room already chosen stays offered and chosen until another is picked: a modality changed
  // afterwards must not drop it unseen; the server's message then says it does not fit.
  // Disabled as well as hidden: Safari before iOS 17 lists hidden options all the same. Never
  // the chosen one, as a disabled option's value is left out of what the form sends.
  function setupRooms(form) {
    var modality = $("select[name='modality']", form);
    var room = $("select[name='room']", form);
    if (!modality || !room) return;
    function update() {
      var code = modality.value;
      Array.prototype.forEach.call(room.options, function (opt) {
        var of = opt.getAttribute("data-modality");
        var other = !!(code && of && of !== code && !opt.selected);
        opt.hidden = other;
        opt.disabled = other;
      });
    }
    modality.addEventListener("change", update);
    room.addEventListener("change", update);
    update();
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
    // The site's ages (siteconfig_pregnancy), as the server counts them: both asked.
    var youngest = parseInt(form.getAttribute("data-pregnancy-min-age"), 10);
    var oldest = parseInt(form.getAttribute("data-pregnancy-max-age"), 10);
    function inAges(age) {
      // Without the site's ages the question is shown: the server asks it if it applies.
      if (isNaN(youngest) || isNaN(oldest)) return true;
      return age >= youngest && age <= oldest;
    }
    function mayBePregnant() {
      // Editing a saved referral: the identity is not in the form, the server says.
      var fixed = form.getAttribute("data-may-be-pregnant");
      if (fixed) return fixed === "yes";
      if (valueOf("id_mode") === "reserve") {
        if (valueOf("sex") === "M") return false;
        var age = parseInt(valueOf("approx_age"), 10);
        return isNaN(age) || inAges(age);
      }
      var typed = valueOf("personal_number") || "";
      var digits = typed.replace(/[^0-9]/g, "");
      if (digits.length !== 10 && digits.length !== 12) return true;
      var sexDigit = parseInt(digits.charAt(digits.length - 2), 10);
      if (sexDigit % 2 === 1) return false;
      // The age in whole years, as the server counts it (identity.py): a birthday later this
      // year is not had yet, or a woman of 60 born late in the year would count as 61 here
      // and the question the server asks for would be hidden.
      // On the site's date, as the server reads it: a tablet left on UTC is on yesterday
      // after midnight, and a girl turning 10 today would not be asked yet.
      var today = window.Reservrutin.siteClock(new Date());
      var thisYear = parseInt(today.year, 10);
      var thisMonth = parseInt(today.month, 10);
      var thisDay = parseInt(today.day, 10);
      var month = parseInt(digits.slice(-8, -6), 10);
      var day = parseInt(digits.slice(-6, -4), 10);
      if (day > 60) day -= 60;  // samordningsnummer
      // Born 29 February: a year older on 28 February in a common year, as the server counts
      // it (beräkningslagen 3 §), or a girl turning 10 that day would not be asked until March.
      var leap = thisYear % 4 === 0 && (thisYear % 100 !== 0 || thisYear % 400 === 0);
      var birthday = month === 2 && day === 29 && !leap ? 28 : day;
      var notYet = thisMonth < month || (thisMonth === month && thisDay < birthday);
      var year;
      if (digits.length === 12) {
        year = parseInt(digits.slice(0, 4), 10);
      } else {
        var yy = parseInt(digits.slice(0, 2), 10);
        if (typed.indexOf("+") !== -1) {
          var latest = thisYear - 100;
          year = latest - (((latest - yy) % 100) + 100) % 100;
        } else {
          year = thisYear - (((thisYear - yy) % 100) + 100) % 100;
          if (year === thisYear && notYet) year -= 100;
        }
      }
      var age2 = thisYear - year - (notYet ? 1 : 0);
      return inAges(age2);
    }
    function update() {
      var code = valueOf("exam_code");
      var exam = catalogue.filter(function (e) { return e.code === code; })[0];
      var mod = modalities[valueOf("modality")] || {};
      var contrastBox = $("#contrast_planned", form);
      var needs = {
        contrast: (contrastBox && contrastBox.checked) || !!(exam && exam.contrast),
        mr: !!(exam && exam.mr) || !!mod.mr,
        pregnancy: (!!(exam && exam.pregnancy) || !!mod.pregnancy) && mayBePregnant(),
        side: !!(exam && exam.sided)
      };
      boxes.forEach(function (box) {
        var need = box.getAttribute("data-need");
        box.classList.toggle("needed", !!needs[need]);
        // Pregnancy is only asked when relevant; the others stay visible as optional facts.
        // The exam form's MR questions likewise: they are no optional facts of a CT exam.
        if (need === "pregnancy" || box.hasAttribute("data-only-when-needed")) {
          // The side: optional for a free-text exam, which the catalogue cannot tell about.
          var freeText = box.hasAttribute("data-free-text-too") && !exam;
          box.hidden = !needs[need] && !freeText && !box.querySelector(".error");
        }
      });
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  }

  // ---- A side typed into a free-text exam's text is no side: say so while it is typed, as
  // the save goes through without one (the server draws the same hint after a refused save).
  function setupSideInText(form) {
    var hint = $("#exam-side-in-text", form);
    var input = $("#exam_text", form);
    if (!hint || !input) return;
    var words = (hint.getAttribute("data-side-words") || "").split(" ");
    function update() {
      var code = $("#exam_code", form);
      var side = form.querySelector("input[name='side']:checked");
      // Whole words, as the server reads them: "höftled" names no side.
      var typed = input.value.toLowerCase().match(/[\p{L}\p{N}_]+/gu) || [];
      var named = typed.some(function (w) { return words.indexOf(w) !== -1; });
      hint.hidden = !named || !!(code && code.value) || !!(side && side.value);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
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
      setupExamPicker(form);
      setupRooms(form);
      setupSafety(form);
      setupSideInText(form);
      setupNowOnChoice(form);
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
  // new headings; the text must reach the laptop first, or it is not there to move. And the
  // laptop must answer, or the reload leaves the browser's error page in place of the report.
  function switchTemplate(picker) {
    var editor = document.getElementById("report-form");
    var typed = editor && Array.prototype.some.call(editor.querySelectorAll("textarea"), function (t) {
      return t.value.trim() !== "";
    });
    function kept(sv, en) {
      // The picker shows the template still in use, not the one that was not applied.
      picker.reset();
      if (editor && editor.sayDraftStatus) editor.sayDraftStatus("template-kept", sv, en);
    }
    function send() {
      window.Reservrutin.laptopAnswers(function (ok) {
        if (ok) { picker.submit(); return; }
        kept("Ingen kontakt med datorn – mallen byttes inte. Välj den igen när kontakten är tillbaka.",
             "No connection to the laptop – the template was not changed. Choose it again when the connection is back.");
      });
    }
    if (!typed) { send(); return; }
    var flush = editor.flushDraft ? editor.flushDraft() : Promise.resolve(false);
    flush.then(function (ok) {
      // Text already on the laptop is flushed at once, without asking it: the check follows.
      if (ok) { send(); return; }
      kept("Ingen kontakt med datorn – mallen byttes inte, så att texten ligger kvar.",
           "No connection to the laptop – the template was not changed, so your text stays as it is.");
    });
  }
  if (document.readyState !== "loading") ready();
  else document.addEventListener("DOMContentLoaded", ready);
})();
