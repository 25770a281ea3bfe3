/* National dashboard map: markers coloured by the overall score, a pillar's score or the cohort, from the
   page's own JSON twin. Regions without a score are grey; regions not evaluated are small and pale. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var LEVELS = ["#d7301f", "#fc8d59", "#fdcc8a", "#91cf60", "#1a9850"];
  var COHORTS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
  var select = document.getElementById("colour-by");
  var legend = document.getElementById("map-legend");
  var rows = {};
  function level(score) { return score === null || score === undefined ? null : Math.min(5, 1 + Math.floor(score)); }
  function colour(row, by) {
    if (!row) { return null; }
    if (by === "cohort") { return row.cohort ? COHORTS[row.cohort % COHORTS.length] : "#bbbbbb"; }
    var score = by === "overall" ? row.score : row.pillars[by];
    var l = level(score);
    return l ? LEVELS[l - 1] : "#bbbbbb";
  }
  function paint() {
    var by = select.value;
    Object.keys(el.kcMarkers || {}).forEach(function (code) {
      var c = colour(rows[code], by);
      el.kcMarkers[code].setStyle(c ? { fillColor: c, color: "#333", radius: 5, fillOpacity: 0.9 }
                                    : { fillColor: "#eeeeee", color: "#cccccc", radius: 2, fillOpacity: 0.6 });
    });
    el.dataset.colouredBy = by;
    legend.hidden = by === "cohort";
  }
  fetch(el.dataset.scoresUrl, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      data.regions.forEach(function (row) { rows[row.region_code] = row; });
      return window.kcMap(el, function (p, marker) {
        var row = rows[p.code];
        var link = document.createElement("a");
        link.href = el.dataset.regionUrl + encodeURIComponent(p.code) + "/?year=" + data.year;
        link.textContent = p.name + (row && row.score !== null ? " · " + row.score : "");
        marker.bindPopup(link);
      });
    })
    .then(function () { paint(); select.addEventListener("change", paint); })
    .catch(function (err) { el.dataset.error = String(err); });
})();
