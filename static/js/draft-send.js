// What an autosaved form sends besides its typing (drafts.js): the save request itself, finished
// by the browser when the page is closed or put away, and the copy a submit names so the laptop
// can refuse a page older than its draft, with the refusal's "send this one anyway".
(function () {
  "use strict";

  // The requests a browser finishes after their page is gone may carry 64 KiB in all.
  var KEEPALIVE_MAX_BYTES = 60000;
  // Sent with a save tried again by the page's own timer: the laptop then does not count it as
  // someone at the tablet, or an abandoned tablet with a save that fails would never reach its
  // idle logout.
  var BACKGROUND_HEADER = "X-Reservrutin-Background";

  function csrfToken(form) {
    var el = form.querySelector("input[name$='csrf_token']");
    return el ? el.value : "";
  }

  // The request that saves a copy. leaving: the page may be gone before the answer (the tab
  // closed, the tablet put away), so the browser is asked to finish it without the page; it
  // takes only a small body so, and a long report goes as any save (kept on the tablet if lost).
  function saveRequest(form, key, payload, retry, leaving, signal) {
    var headers = { "Content-Type": "application/json", "X-CSRFToken": csrfToken(form) };
    if (retry) headers[BACKGROUND_HEADER] = "1";
    var body = JSON.stringify(payload);
    return fetch("/api/drafts/" + encodeURIComponent(key), {
      method: "PUT",
      credentials: "same-origin",
      signal: signal,
      keepalive: !!leaving && new Blob([body]).size < KEEPALIVE_MAX_BYTES,
      headers: headers,
      body: body
    });
  }

  // What the laptop's answer to a save means: the body, or an error named by what the page does
  // next. A 413 comes from waitress itself (its own plain text) or the app (JSON): the status
  // says it, and the same text sent again would be refused again, a reload too.
  function answerOf(res) {
    if (res.status === 401) throw new Error("logged out");
    if (res.status === 413) throw new Error("too large");
    // A laptop busy or failing may take the same text later; a refusal will refuse it again.
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Error("failed");
    if (!res.ok) throw new Error("refused");
    return res.json();
  }

  // Text typed within the pause before a save, and the page then closed or put away: its
  // timer may never run again, and the text would reach the laptop only when this tablet next
  // opens a page, while the user goes on at another tablet. onLeaving sends it at once.
  function whenLeaving(onLeaving) {
    window.addEventListener("pagehide", onLeaving);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") onLeaving();
    });
  }

  function hiddenField(form, name, value) {
    var el = form.querySelector("input[name='" + name + "']");
    if (!el) {
      el = document.createElement("input");
      el.type = "hidden";
      el.name = name;
      el.setAttribute("data-draft-skip", "");
      form.appendChild(el);
    }
    el.value = value;
  }

  // The submit names this page's copy and the laptop's count its text goes on from: a draft
  // another tablet typed on after that is not finished by this older text, which the laptop
  // refuses instead, offering the newer copy or this one sent knowingly (sendAnyway).
  // copy: { writer, base, seq, kind } as the page's autosave holds them now.
  function markSentCopy(form, copy) {
    hiddenField(form, "draft_writer", copy.writer);
    hiddenField(form, "draft_base", String(copy.base || 0));
    hiddenField(form, "draft_seq", String(copy.seq));
    // A submit refused after the login ended leads back to the page drawing the form: a page
    // with several autosaved forms (the case page) gives the key to the form of this kind.
    if (copy.kind) hiddenField(form, "draft_kind", copy.kind);
  }

  function offerSendAnyway(form, copyNow) {
    form.sendAnyway = function () {
      markSentCopy(form, copyNow());
      hiddenField(form, "draft_send_anyway", "1");
      var button = form.querySelector("button[type='submit'], input[type='submit'], button:not([type])");
      if (form.requestSubmit) form.requestSubmit(button || undefined);
      else form.submit();
    };
  }

  window.Reservrutin = window.Reservrutin || {};
  window.Reservrutin.draftSend = {
    saveRequest: saveRequest,
    answerOf: answerOf,
    whenLeaving: whenLeaving,
    markSentCopy: markSentCopy,
    offerSendAnyway: offerSendAnyway
  };

  function onReady(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  onReady(function () {
    // The laptop refused this form sent from a page older than its draft: sent again as it is
    // only once the user has read what that leaves out.
    Array.prototype.slice.call(document.querySelectorAll("[data-send-anyway]")).forEach(function (button) {
      button.addEventListener("click", function () {
        var key = button.getAttribute("data-send-anyway");
        var form = Array.prototype.slice.call(document.querySelectorAll("form.clinical")).filter(function (f) {
          var field = f.elements.form_key || f.querySelector("input[name$='-form_key']");
          return field && field.value === key && f.sendAnyway;
        })[0];
        if (!form || !window.confirm(button.getAttribute("data-confirm-text") || "")) return;
        form.sendAnyway();
      });
    });
  });
})();
