/* Events map: markers from the page's JSON; the list below the map holds the same events,
   so the page works without JavaScript and without map tiles. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("events-map");
    var data = document.getElementById("events-map-points");
    if (!element || !data || typeof L === "undefined") { return; }
    var points = JSON.parse(data.textContent);
    var map = L.map(element, { scrollWheelZoom: false }).setView([50.3, 2.8], 7);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      var layer = L.tileLayer(tiles, { maxZoom: 18, attribution: element.getAttribute("data-attribution") || "" });
      layer.once("tileerror", function () {
        var note = document.getElementById("events-map-no-tiles");
        if (note) { note.hidden = false; }
      });
      layer.addTo(map);
    }
    var bounds = [];
    points.forEach(function (point) {
      var marker = L.marker([point.lat, point.lon], { title: point.title, alt: point.title }).addTo(map);
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      var meta = document.createElement("p");
      meta.textContent = point.date + " · " + point.place;
      popup.appendChild(link);
      popup.appendChild(meta);
      marker.bindPopup(popup);
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length > 1) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 12, animate: false }); }
    else if (bounds.length === 1) { map.setView(bounds[0], 12, { animate: false }); }
  });
})();
