/* Observatory map: clustered markers from the GeoJSON endpoint that honours the list's filters.
   Without JavaScript, or when tiles cannot load, the page still lists the results as text. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("initiative-map");
    if (!element || typeof L === "undefined") { return; }
    element.innerHTML = "";
    var map = L.map(element, { scrollWheelZoom: false }).setView([50.1, 2.8], 8);
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: element.dataset.attribution
    }).addTo(map);
    var cluster = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup() : L.layerGroup();
    fetch(element.dataset.geojson, { headers: { "Accept": "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.marker(latlng, { title: feature.properties.title, alt: feature.properties.title });
          },
          onEachFeature: function (feature, marker) {
            var box = document.createElement("div");
            var link = document.createElement("a");
            link.href = feature.properties.url;
            link.textContent = feature.properties.title;
            var place = document.createElement("p");
            place.textContent = feature.properties.commune;
            box.appendChild(link);
            box.appendChild(place);
            marker.bindPopup(box);
          }
        });
        cluster.addLayer(layer);
        // Fit first, without animation, then show the clusters: they are drawn once at the
        // final zoom, so the markers a visitor (or a test) clicks are not redrawn under them.
        if (data.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [20, 20], animate: false });
        }
        map.addLayer(cluster);
        element.dataset.loaded = String(data.features.length);
      })
      .catch(function () { element.dataset.loaded = "error"; });
  });
})();
