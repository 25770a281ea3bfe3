/* The national map: Leaflet from django-leaflet, Indonesia's outline and region markers from our own server.
   No tile server unless one is configured (data-tile-url). */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 }).setView([-2.5, 118], 4.5);
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
  }
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " answered " + r.status); }
      return r.json();
    });
  }
  getJSON(el.dataset.outlineUrl).then(function (outline) {
    L.geoJSON(outline, { style: { color: "#5b7a88", weight: 1, fillColor: "#f3efe4", fillOpacity: 1 } }).addTo(map);
    return getJSON(el.dataset.pointsUrl);
  }).then(function (points) {
    var base = el.dataset.regionUrl;
    var layer = L.geoJSON(points, {
      pointToLayer: function (feature, latlng) {
        var kota = feature.properties.kind === "kota";
        return L.circleMarker(latlng, {
          radius: kota ? 4 : 3.5, weight: 1, color: kota ? "#7a2e0e" : "#0b4f4b",
          fillColor: kota ? "#e0733a" : "#12a39a", fillOpacity: 0.85
        });
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        var link = document.createElement("a");
        link.href = base + encodeURIComponent(p.code) + "/";
        link.textContent = p.name + " (" + p.code + ")";
        marker.bindPopup(link);
      }
    }).addTo(map);
    el.dataset.markers = String(points.features.length);
    if (points.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
  }).catch(function (err) {
    el.dataset.error = String(err);
    el.insertAdjacentHTML("beforeend", "");
  });
})();
