/* Registration form: a second click on the submit button does not send the form again. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(function (form) {
      var button = form.querySelector("button[data-once]");
      if (!button) { return; }
      form.addEventListener("submit", function (event) {
        if (form.dataset.sent === "1") { event.preventDefault(); return; }
        form.dataset.sent = "1";
        button.setAttribute("aria-disabled", "true");
      });
    });
  });
})();
