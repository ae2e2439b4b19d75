// The live board: fetch its figures again every few seconds and put them in place, until
// the session is closed (its figures no longer change). Without this file the board's
// Refresh link does the same by hand.
"use strict";

(function () {
  var board = document.querySelector("[data-live-fragment]");
  if (!board || !window.fetch) return;
  var url = board.getAttribute("data-live-fragment");
  var seconds = parseInt(board.getAttribute("data-refresh-seconds"), 10) || 5;

  function closed() {
    return board.querySelector('[data-closed="yes"]') !== null;
  }

  if (!closed()) {
    document.querySelectorAll(".js-only").forEach(function (note) {
      note.hidden = false;
    });
  }

  function later() {
    if (!closed()) window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    if (document.hidden) return later(); // nobody is looking: ask again later
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected) {
          // Logged out meanwhile: show the login page rather than a login form in the board.
          window.location.reload();
          throw new Error("redirected");
        }
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        board.innerHTML = html;
        board.setAttribute("data-updated", new Date().toISOString());
      })
      .catch(function () {
        // Keep the figures shown; the next round tries again.
      })
      .then(later);
  }

  later();
})();
