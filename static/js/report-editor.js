// Report editor: quick phrases and the template picker. Loaded by the reporting screen only (its
// block form_scripts); the draft it flushes before a template switch is drafts.js's.
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
