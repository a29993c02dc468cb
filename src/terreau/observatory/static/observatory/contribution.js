/* Contribution form: add an organisation picked in the directory lookup to a list field.
   Without JavaScript the buttons stay hidden and names are typed in the lists directly. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-lookup-actions]").forEach(function (actions) {
      actions.hidden = false;
    });
    document.querySelectorAll("[data-append-from]").forEach(function (button) {
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-append-from"));
        var target = document.getElementById(button.getAttribute("data-append-to"));
        if (!source || !target || !source.value.trim()) { return; }
        var lines = target.value.split("\n").map(function (line) { return line.trim(); });
        if (lines.indexOf(source.value.trim()) === -1) {
          target.value = lines.filter(Boolean).concat([source.value.trim()]).join("\n");
        }
        source.value = "";
        target.focus();
      });
    });
  });
})();
