/* Commune fields (territories.forms.CommuneChoiceField): fill the input's <datalist> with
   suggestions from the commune search endpoint as the person types. Without this script the
   field still works: the person types "Liévin (62)" or the INSEE code. Safe to load twice. */
(function () {
  "use strict";
  function setUp(input) {
    if (input.getAttribute("data-commune-ready")) { return; }
    input.setAttribute("data-commune-ready", "1");
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-commune-search");
    if (!list || !url || !window.fetch) { return; }
    var timer = null;
    var last = "";
    var controller = null;
    input.addEventListener("input", function () {
      var query = input.value.trim();
      window.clearTimeout(timer);
      if (query.length < 2 || query === last) { return; }
      timer = window.setTimeout(function () {
        last = query;
        if (controller) { controller.abort(); }
        controller = window.AbortController ? new AbortController() : null;
        window.fetch(url + "?limit=10&q=" + encodeURIComponent(query), {
          headers: { "Accept": "application/json" },
          credentials: "same-origin",
          signal: controller ? controller.signal : undefined
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (data) {
          while (list.firstChild) { list.removeChild(list.firstChild); }
          data.results.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.label;
            option.textContent = item.name + " — " + item.insee +
              (item.postal_codes.length ? ", " + item.postal_codes[0] : "");
            list.appendChild(option);
          });
        }).catch(function () { /* offline or aborted: typing still works */ });
      }, 200);
    });
  }
  function setUpAll(root) {
    (root || document).querySelectorAll("input[data-commune-search]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  } else {
    setUpAll();
  }
  document.addEventListener("htmx:load", function (event) { setUpAll(event.target); });
})();
