/* Live vote pages: the server pushes the vote's state (Server-Sent Events from data-events-url)
   whenever a ballot is cast or changed, and the turnout is updated in place; when the vote
   closes, the page reloads once to show the result. The stream may end at any time (the server
   bounds it; EventSource reconnects by itself). Where EventSource is missing, or the stream
   fails several times in a row, the page polls data-live-url every two seconds instead.
   Without JavaScript the page still works by reloading. */
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || root.getAttribute("data-state") !== "open") { return; }
  var pollUrl = root.getAttribute("data-live-url");
  var eventsUrl = root.getAttribute("data-events-url");
  var interval = 2000;
  var failuresBeforePolling = 3;
  var finished = false;

  function show(name, value) {
    Array.prototype.forEach.call(document.querySelectorAll('[data-live="' + name + '"]'), function (node) {
      if (node.textContent !== value) { node.textContent = value; }
    });
  }

  function apply(state) {
    if (finished) { return; }
    show("turnout", state.turnout);
    // Which sections are missing comes only to whom may see it (the executive).
    if (state.waiting) { show("waiting", state.waiting.length ? state.waiting.join(", ") : "—"); }
    if (state.state !== "open") { finished = true; window.location.reload(); }
  }

  function poll() {
    fetch(pollUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state) { apply(state); }
        if (!finished) { window.setTimeout(poll, interval); }
      })
      .catch(function () { window.setTimeout(poll, interval * 2); });
  }

  function listen() {
    var source = new window.EventSource(eventsUrl, { withCredentials: true });
    var failures = 0;
    root.setAttribute("data-live-mode", "stream");
    source.onopen = function () { failures = 0; };
    source.onmessage = function (message) {
      failures = 0;
      var state;
      try { state = JSON.parse(message.data); } catch (error) { return; }
      apply(state);
      if (finished) { source.close(); }
    };
    source.onerror = function () {
      // A stream the server ended normally also lands here, then reconnects and opens again.
      failures += 1;
      if (finished || failures >= failuresBeforePolling || source.readyState === window.EventSource.CLOSED) {
        source.close();
        if (!finished) { root.setAttribute("data-live-mode", "polling"); window.setTimeout(poll, interval); }
      }
    };
  }

  if (eventsUrl && typeof window.EventSource === "function") {
    listen();
  } else {
    root.setAttribute("data-live-mode", "polling");
    window.setTimeout(poll, interval);
  }
})();
