// Progressive enhancement only: every page works without this file.
"use strict";

// A form marked js-once is sent once: a second click while the first is on its way does nothing.
// The server counts an answer once anyway; this spares the player a confusing second load.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("js-once")) return;
  if (form.dataset.sent === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "yes";
  form.setAttribute("aria-busy", "true");
});

// Coming back through the browser's history shows the page afresh, ready to send again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form.js-once").forEach(function (form) {
    delete form.dataset.sent;
    form.removeAttribute("aria-busy");
  });
});

// A Print button, where the page has one: without JavaScript the browser's own Print does it.
document.querySelectorAll(".js-print").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
