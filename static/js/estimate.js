// The new-session form (and a follow-up's): as a module, its short form or scenarios are
// chosen, ask the server for the time the choice takes (the form's own "Estimate the time",
// sent in the background) and put its words in place. Nothing is made by it. Without this
// file the button does the same with a page load.
"use strict";

(function () {
  var form = document.querySelector("form.session-form");
  var out = document.getElementById("estimate");
  if (!form || !out || !window.fetch || !window.DOMParser || !window.FormData) return;
  var waiting = null;

  function ask() {
    var data = new FormData(form);
    data.set("estimate", "");
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: data,
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.text();
      })
      .then(function (html) {
        var found = new DOMParser().parseFromString(html, "text/html").getElementById("estimate");
        out.textContent = found ? found.textContent : ""; // words only, never markup
      })
      .catch(function () {
        // Keep what is shown; the button still works.
      });
  }

  // A choice made before this file ran (a quick click, or a form the browser restored on
  // Back) gets its time too.
  var module = form.elements.namedItem("module");
  if (module && module.value && !out.textContent.trim()) ask();

  form.addEventListener("change", function (event) {
    if (!event.target.name || event.target.name === "title") return;
    window.clearTimeout(waiting);
    waiting = window.setTimeout(ask, 250);
  });
})();
