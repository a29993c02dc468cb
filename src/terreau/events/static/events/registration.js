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
/* Staff table: one box ticks every row of the page (shown only with JavaScript). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-select-all]").forEach(function (all) {
      var form = all.form;
      var boxes = form.querySelectorAll('input[type=checkbox][name="' + all.dataset.selectAll + '"]');
      all.hidden = false;
      all.addEventListener("change", function () {
        boxes.forEach(function (box) { box.checked = all.checked; });
      });
    });
  });
})();
