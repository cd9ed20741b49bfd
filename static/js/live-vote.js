/* Live vote pages: poll the vote's state every few seconds and update the turnout in place;
   when the vote closes, reload once to show the result. Polling (not a held connection) so that
   any gunicorn worker can answer. Without JavaScript the page still works by reloading. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || root.getAttribute("data-state") !== "open") { return; }
  var url = root.getAttribute("data-live-url");
  var interval = 2000;

  function show(name, value) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-live="' + name + '"]'), function (node) {
      if (node.textContent !== value) { node.textContent = value; }
    });
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) { return; }
        show("turnout", state.turnout);
        // Which sections are missing comes only to whom may see it (the executive).
        if (state.waiting) { show("waiting", state.waiting.length ? state.waiting.join(", ") : "—"); }
        if (state.state !== "open") { window.location.reload(); return; }
        window.setTimeout(poll, interval);
      })
      .catch(function () { window.setTimeout(poll, interval * 2); });
  }

  window.setTimeout(poll, interval);
})();
