// The exam and its safety questions on the referral and exam forms: the exam picker, the rooms of
// its modality, the safety facts it needs and a side typed into its text. Loaded by those two
// pages only (their block form_scripts), before drafts.js puts a kept copy back: the fields it
// restores must already follow it.
(function () {
  "use strict";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function parseJSON(text, fallback) {
    try { return JSON.parse(text); } catch (e) { return fallback; }
  }
  function fire(el) { el.dispatchEvent(new Event("input", { bubbles: true })); el.dispatchEvent(new Event("change", { bubbles: true })); }

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

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    $all("form.clinical").forEach(function (form) {
      setupExamPicker(form);
      setupRooms(form);
      setupSafety(form);
      setupSideInText(form);
    });
  });
})();
