/* Commune map: a Leaflet map (tiles when reachable, the département's outline and the commune's
   centre always) replaces the server-drawn SVG. Without JavaScript the SVG stays. */
(function () {
  "use strict";
  function setUp(element) {
    var lat = parseFloat(element.getAttribute("data-lat"));
    var lon = parseFloat(element.getAttribute("data-lon"));
    if (isNaN(lat) || isNaN(lon)) { return; }
    element.hidden = false;
    var map = window.L.map(element, { scrollWheelZoom: false }).setView([lat, lon], 10);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      window.L.tileLayer(tiles, {
        maxZoom: 18, attribution: element.getAttribute("data-attribution") || ""
      }).addTo(map);
    }
    window.L.circleMarker([lat, lon], { radius: 8, color: "#ffffff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 })
      .addTo(map).bindTooltip(element.getAttribute("data-label") || "");
    var outlines = element.getAttribute("data-outlines");
    if (outlines && window.fetch) {
      window.fetch(outlines, { headers: { "Accept": "application/geo+json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          window.L.geoJSON(data, {
            interactive: false, style: { color: "#1f5f3f", weight: 2, fillOpacity: 0.05 }
          }).addTo(map);
        }).catch(function () { /* the marker alone still locates the commune */ });
    }
    var fallback = element.parentNode.querySelector(".territory-static-map");
    if (fallback) { fallback.hidden = true; }
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.L) { return; }
    document.querySelectorAll("[data-territory-map]").forEach(setUp);
  });
})();
