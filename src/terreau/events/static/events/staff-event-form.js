/* Staff event form: put the organisation picked in the directory lookup into a field. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var lookup = document.getElementById("organisation-lookup");
    var actions = document.querySelector("[data-lookup-actions]");
    if (!lookup || !actions) { return; }
    actions.hidden = false;
    actions.querySelectorAll("button").forEach(function (button) {
      button.addEventListener("click", function () {
        var value = lookup.value.trim();
        var field = document.getElementById(button.getAttribute("data-append-to") || button.getAttribute("data-set"));
        if (!value || !field) { return; }
        if (button.hasAttribute("data-set")) {
          field.value = value;
        } else {
          var lines = field.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
          if (lines.indexOf(value) === -1) { lines.push(value); }
          field.value = lines.join("\n");
        }
        lookup.value = "";
        field.focus();
      });
    });
  });
})();
