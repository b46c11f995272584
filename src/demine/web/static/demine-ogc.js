/* The map of an OGC API features page: the page's features (handed over as JSON). */
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("features").textContent);
  const map = L.map("map");
  const layer = L.geoJSON(data, {pointToLayer: (f, ll) => L.circleMarker(ll, {radius: 4})}).addTo(map);
  if (layer.getBounds().isValid()) { map.fitBounds(layer.getBounds()); } else { map.setView([40, 47], 7); }
})();
