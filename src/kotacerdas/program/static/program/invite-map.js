/* Invite on the map: a click on a region ticks (or unticks) it in the invitation form below the map. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var list = document.getElementById("picked");
  if (!el || !list || typeof L === "undefined") { return; }
  var taken = JSON.parse(document.getElementById("taken-codes").textContent);
  function toggle(p, marker, style) {
    var box = document.getElementById("pick-" + p.code);
    if (box) {
      box.parentNode.remove();
      marker.setStyle(style(p.kind, false));
    } else {
      var label = document.createElement("label");
      label.innerHTML = "<input type='checkbox' name='code' checked> ";
      label.firstChild.value = p.code;
      label.firstChild.id = "pick-" + p.code;
      label.appendChild(document.createTextNode(p.name + " (" + p.code + ")"));
      list.appendChild(label);
      marker.setStyle(style(p.kind, true));
    }
    el.dataset.picked = String(list.querySelectorAll("input:checked").length);
  }
  window.kcMap(el, function (p, marker, style) {
    if (taken.indexOf(p.code) >= 0) {
      marker.setStyle({ fillColor: "#999", color: "#666" });
      marker.bindTooltip(p.name + " ✓");
      return;
    }
    marker.bindTooltip(p.name);
    marker.on("click", function () { toggle(p, marker, style); });
  });
})();
