/* Terreau: small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.addEventListener("DOMContentLoaded", function () {
    // Leaflet's zoom buttons in the page's language (this runs before the maps are drawn).
    if (window.L && window.L.Control && window.L.Control.Zoom) {
      var zoom = window.L.Control.Zoom.prototype.options;
      zoom.zoomInTitle = document.body.getAttribute("data-zoom-in") || zoom.zoomInTitle;
      zoom.zoomOutTitle = document.body.getAttribute("data-zoom-out") || zoom.zoomOutTitle;
    }
    // Phones: the menu (main menu, account links, language) folds behind the "Menu" button.
    var toggle = document.querySelector(".nav-toggle");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && menu) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", open ? "false" : "true");
        menu.classList.toggle("is-open", !open);
      });
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true") {
          toggle.setAttribute("aria-expanded", "false");
          menu.classList.remove("is-open");
          toggle.focus();
        }
      });
    }
    // The form error summary takes the focus, so that it is read first; its links focus the field.
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) { return; }
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) {
          event.preventDefault();
          var label = target.closest(".form-row, fieldset") || target;
          label.scrollIntoView({block: "start"});
          target.focus({preventScroll: true});
        }
      });
    }
    // Search and filter forms marked data-clean-query leave their empty fields out of the address.
    document.querySelectorAll("form[data-clean-query]").forEach(function (form) {
      form.addEventListener("submit", function () {
        var emptied = [];
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.name && !el.disabled && el.value === "" && el.type !== "submit") { el.disabled = true; emptied.push(el); }
        });
        window.setTimeout(function () { emptied.forEach(function (el) { el.disabled = false; }); }, 0);
      });
    });
    document.body.addEventListener("htmx:configRequest", function (event) {
      var form = event.detail.elt.closest && event.detail.elt.closest("form[data-clean-query]");
      if (!form || event.detail.verb !== "get") { return; }
      var params = event.detail.parameters;
      var keys = params instanceof FormData ? Array.from(params.keys()) : Object.keys(params);
      keys.forEach(function (key) {
        var value = params instanceof FormData ? params.getAll(key) : params[key];
        var empty = Array.isArray(value) ? value.every(function (v) { return v === ""; }) : value === "";
        if (empty) { if (params instanceof FormData) { params.delete(key); } else { delete params[key]; } }
      });
    });
    // Forms marked data-autosubmit submit when a control changes (filters); a button remains.
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.addEventListener("change", function () {
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      });
    });
    // Buttons with data-confirm ask before submitting.
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();
