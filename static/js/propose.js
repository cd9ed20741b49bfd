/* The live preview of an amendment: as the delegate types, the word-level difference with the
   text it amends is fetched from the server (which escapes everything) and shown beside it. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  if (!form) { return; }
  var textarea = form.querySelector("textarea[name=text]");
  var region = document.getElementById("preview");
  var token = form.querySelector("input[name=csrf_token]");
  if (!textarea || !region || !token) { return; }
  document.documentElement.classList.add("has-live-preview");

  var timer = null;
  var controller = null;
  var sequence = 0;

  function value(name) {
    var input = form.querySelector("input[name=" + name + "]");
    return input && input.value !== "" ? input.value : null;
  }

  function payload() {
    var data = { base_version: value("base_version"), text: textarea.value };
    if (value("start") !== null || value("end") !== null) {
      data.start = value("start");
      data.end = value("end");
    } else {
      data.paragraph = value("paragraph");
    }
    return JSON.stringify(data);
  }

  function update() {
    var mine = ++sequence;
    if (controller) { controller.abort(); }
    controller = typeof AbortController === "function" ? new AbortController() : null;
    region.setAttribute("aria-busy", "true");
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token.value },
      body: payload(),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (mine !== sequence) { return; }
      region.removeAttribute("aria-busy");
      if (result.ok) {
        region.innerHTML = result.data.html; // built and escaped by the server's text engine
      } else {
        region.textContent = (result.data.error && result.data.error.message) || region.getAttribute("data-failed");
      }
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      if (mine === sequence) {
        region.removeAttribute("aria-busy");
        region.textContent = region.getAttribute("data-failed");
      }
    });
  }

  textarea.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 300);
  });
})();
