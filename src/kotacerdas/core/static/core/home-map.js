/* Home page: every region links to its page. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  window.kcMap(el, function (p, marker) {
    var link = document.createElement("a");
    link.href = el.dataset.regionUrl + encodeURIComponent(p.code) + "/";
    link.textContent = p.name + " (" + p.code + ")";
    marker.bindPopup(link);
  });
})();
