/* The reader's time zone: reported to the server (cookie "tz"), which then writes every time in
   it with the zone named. On a first visit, before the server knows the zone, times shown in UTC
   are rewritten here in the browser's zone. The deadline form is read in the writer's zone.
   Without this script, times show in UTC and the deadline is read as UTC (the page says so). */
(function () {
  "use strict";
  var format = { dateStyle: "full", timeStyle: "short" };
  var language = document.documentElement.lang || undefined;
  var zone = null;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (error) { zone = null; }
  if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
    document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax" +
      (location.protocol === "https:" ? "; Secure" : "");
  }
  var zoneKnown = document.body && document.body.getAttribute("data-zone-known") === "yes";

  function pad(number) { return (number < 10 ? "0" : "") + number; }

  function localInputValue(date) {
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  Array.prototype.forEach.call(zoneKnown ? [] : document.querySelectorAll("time[data-local-time]"), function (node) {
    var date = new Date(node.getAttribute("datetime"));
    if (isNaN(date.getTime())) { return; }
    try {
      node.textContent = new Intl.DateTimeFormat(language, format).format(date) +
        " (" + zone + ")";
    } catch (error) {
      node.textContent = date.toLocaleString();
    }
  });

  Array.prototype.forEach.call(document.querySelectorAll("form[data-deadline-form]"), function (form) {
    var input = form.querySelector("input[type=datetime-local]");
    var iso = form.querySelector("input[name=deadline_iso]");
    var offset = form.querySelector("input[name=tz_offset]");
    var help = form.querySelector("[data-local-zone-help]");
    if (!input || !iso) { return; }
    if (input.getAttribute("data-current")) {
      var current = new Date(input.getAttribute("data-current"));
      if (!isNaN(current.getTime())) { input.value = localInputValue(current); }
    }
    if (help) {
      try { help.setAttribute("data-zone", Intl.DateTimeFormat().resolvedOptions().timeZone); } catch (error) { /* none */ }
    }
    form.addEventListener("submit", function () {
      iso.value = "";
      if (!input.value) { return; }
      var moment = new Date(input.value); // a datetime-local value is read in the browser's zone
      if (isNaN(moment.getTime())) { return; }
      iso.value = moment.toISOString();
      if (offset) { offset.value = String(moment.getTimezoneOffset()); }
    });
  });
})();
