// The board refreshes itself; a background header keeps it from holding a session open.
(function () {
  "use strict";
  function start() {
    var board = document.getElementById("board");
    if (!board || !window.fetch) return;
    var url = board.getAttribute("data-refresh-url");
    var seconds = parseInt(board.getAttribute("data-refresh-seconds") || "10", 10);
    function refresh() {
      fetch(url, { credentials: "same-origin", headers: { "X-Reservrutin-Background": "1" } })
        .then(function (res) {
          if (res.status === 401 || res.redirected) { window.location.reload(); return null; }
          return res.ok ? res.text() : null;
        })
        .then(function (html) { if (html !== null && html !== undefined) board.innerHTML = html; })
        .catch(function () { /* offline: keep the last board, the banner says so */ });
    }
    window.setInterval(refresh, seconds * 1000);
    var filters = document.getElementById("board-filters");
    if (filters) {
      filters.addEventListener("change", function () { filters.submit(); });
    }
  }
  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
