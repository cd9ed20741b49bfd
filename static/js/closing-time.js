/* A closing time typed in the executive's own time zone is sent as ISO 8601 with its offset. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("input[data-local-to]"), function (input) {
    var form = input.form;
    var target = form.querySelector('input[name="' + input.getAttribute("data-local-to") + '"]');
    form.addEventListener("submit", function () {
      if (!input.value) { target.value = ""; return; }
      target.value = new Date(input.value).toISOString();
    });
  });
})();
