/* Shared map builder: Leaflet from django-leaflet, Indonesia's outline and region markers from our own server.
   No tile server unless one is configured (data-tile-url). Pages call kcMap(element, onMarker). */
(function () {
  "use strict";
  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) { throw new Error(url + " answered " + r.status); }
      return r.json();
    });
  }
  function markerStyle(kind, highlighted) {
    var kota = kind === "kota";
    return {
      radius: highlighted ? 6 : (kota ? 4 : 3.5), weight: highlighted ? 2 : 1,
      color: highlighted ? "#222" : (kota ? "#7a2e0e" : "#0b4f4b"),
      fillColor: kota ? "#e0733a" : "#12a39a", fillOpacity: 0.85
    };
  }
  window.kcMap = function (el, onMarker) {
    var map = L.map(el, { preferCanvas: true, zoomSnap: 0.25 }).setView([-2.5, 118], 4.5);
    var markers = {};
    el.kcMap = map;  // for scripts and browser tests: the map and its markers by region code
    el.kcMarkers = markers;
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution || "" }).addTo(map);
    }
    return getJSON(el.dataset.outlineUrl).then(function (outline) {
      L.geoJSON(outline, { style: { color: "#5b7a88", weight: 1, fillColor: "#f3efe4", fillOpacity: 1 } }).addTo(map);
      return getJSON(el.dataset.pointsUrl);
    }).then(function (points) {
      var layer = L.geoJSON(points, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, markerStyle(feature.properties.kind, false));
        },
        onEachFeature: function (feature, marker) {
          markers[feature.properties.code] = marker;
          onMarker(feature.properties, marker, markerStyle);
        }
      }).addTo(map);
      if (points.features.length) { map.fitBounds(layer.getBounds(), { padding: [10, 10], animate: false }); }
      el.dataset.markers = String(points.features.length);  // ready: markers placed and the view fitted
      return map;
    }).catch(function (err) { el.dataset.error = String(err); });
  };
})();
