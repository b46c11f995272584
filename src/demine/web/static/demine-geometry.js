/* The entry page's geometry: drawn and edited on the map (Leaflet with the vendored
   leaflet-geoman plug-in), typed as coordinates or uploaded from a GPS device (read by
   the server: /api/geometry/typed and /api/geometry/file). Whatever way it comes, it
   ends in the form's WKT field, which the REST API checks again on saving.

   A polygon's area is shown as it is drawn, measured on the WGS 84 ellipsoid (equal-area
   cylindrical coordinates on the authalic sphere: exact for areas, to well under 0.1%
   of the server's geodesic figure for a worked area). A polygon that would cross itself
   is refused on the spot. Drawing snaps to the hazard area being worked, shown when
   the form names one. */
(function () {
  "use strict";

  const box = document.getElementById("geometry");
  if (!box || typeof L === "undefined" || !L.PM) return;
  const words = JSON.parse(document.getElementById("words").textContent || "{}");
  const wkt = box.querySelector('[name="wkt"]');
  const measure = document.getElementById("geometry-measure");
  const useArea = document.getElementById("use-area");
  const types = (box.dataset.types || "").split(" ");
  const polygonal = types.includes("Polygon");
  const punctual = types.includes("Point");
  const lang = document.documentElement.lang || "en";

  /* ---- Area on the ellipsoid ---- */
  const A = 6378137.0;
  const F = 1 / 298.257223563;
  const E2 = F * (2 - F);
  const E = Math.sqrt(E2);

  function q(phi) {
    const s = Math.sin(phi);
    return (1 - E2) * (s / (1 - E2 * s * s) - Math.log((1 - E * s) / (1 + E * s)) / (2 * E));
  }
  const QP = q(Math.PI / 2);
  const RQ = A * Math.sqrt(QP / 2);

  /* Area (m²) of a ring of [lat, lng] degrees: the shoelace in Lambert's cylindrical
     equal-area coordinates of the authalic sphere, which keep areas exactly. */
  function ringArea(ring) {
    let sum = 0;
    const points = ring.map((p) => [RQ * p.lng * Math.PI / 180, RQ * q(p.lat * Math.PI / 180) / QP]);
    for (let i = 0; i < points.length; i++) {
      const [x1, y1] = points[i];
      const [x2, y2] = points[(i + 1) % points.length];
      sum += x1 * y2 - x2 * y1;
    }
    return Math.abs(sum) / 2;
  }

  /* A polygon's latlngs: [outer, hole…] (Leaflet nests a multipolygon one level more). */
  function polygonArea(rings) {
    if (!rings.length) return 0;
    if (Array.isArray(rings[0][0])) return rings.reduce((total, part) => total + polygonArea(part), 0);
    return rings.reduce((total, ring, i) => total + (i === 0 ? 1 : -1) * ringArea(ring), 0);
  }

  function length(points) {
    let total = 0;
    for (let i = 1; i < points.length; i++) total += L.latLng(points[i - 1]).distanceTo(points[i]);
    return total;
  }

  function number(value, decimals) {
    return value.toLocaleString(lang, {minimumFractionDigits: decimals, maximumFractionDigits: decimals});
  }

  function showArea(m2) {
    measure.classList.remove("bad");
    measure.dataset.areaM2 = m2.toFixed(1);
    measure.textContent = words.area.replace("{m2}", number(m2, 0)).replace("{ha}", number(m2 / 10000, 2));
    if (useArea) useArea.hidden = !(m2 > 0);
  }

  function showLength(metres) {
    measure.classList.remove("bad");
    delete measure.dataset.areaM2;
    measure.textContent = words.length.replace("{m}", number(metres, 0));
    if (useArea) useArea.hidden = true;
  }

  function refuse(text) {
    measure.classList.add("bad");
    delete measure.dataset.areaM2;
    measure.textContent = text;
    if (useArea) useArea.hidden = true;
  }

  function measureLayer(layer) {
    if (layer instanceof L.Polygon) showArea(polygonArea(layer.getLatLngs()));
    else if (layer instanceof L.Polyline) showLength(length(layer.getLatLngs()));
    else {
      measure.textContent = "";
      delete measure.dataset.areaM2;
    }
  }

  /* ---- The map ---- */
  const map = L.map("entry-map", {minZoom: 2, maxZoom: 19});
  const extent = (box.dataset.extent || "-180,-60,180,75").split(",").map(Number);
  map.fitBounds([[extent[1], extent[0]], [extent[3], extent[2]]]);
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 250;
  document.getElementById("entry-map").style.background = "#cfe2ef";
  const basemapRenderer = L.canvas({pane: "basemap"});
  [
    ["land", {color: "#c9c3b3", weight: 0.5, fillColor: "#efeadf", fillOpacity: 1}],
    ["lakes", {color: "#9cc0d9", weight: 0.5, fillColor: "#cfe2ef", fillOpacity: 1}],
    ["boundaries", {color: "#9b8f7a", weight: 1, dashArray: "4 3", fill: false}],
  ].forEach(function ([name, style]) {
    fetch("/static/basemap/" + name + ".geojson")
      .then((response) => response.json())
      .then(function (data) {
        L.geoJSON(data, {pane: "basemap", renderer: basemapRenderer, style: style, interactive: false,
          pmIgnore: true, snapIgnore: true}).addTo(map);
      });
  });

  /* The hazard worked, drawn beneath and snapped to (geoman snaps to any layer not
     marked snapIgnore; pmIgnore keeps it from being edited). */
  let hazardLayer = null;
  const hazardInput = document.querySelector('#activity [name="hazard"]');

  async function showHazard() {
    if (hazardLayer) map.removeLayer(hazardLayer);
    hazardLayer = null;
    delete box.dataset.hazard;
    const key = hazardInput.value.trim();
    if (!key) return;
    const record = await fetch("/api/hazards/" + encodeURIComponent(key), {credentials: "same-origin"});
    if (!record.ok) return;
    const values = await record.json();
    if (!values.wkt) {
      refuse(words.noHazard.replace("{key}", key));
      return;
    }
    const read = await post("/api/geometry/typed", JSON.stringify({text: values.wkt}), true);
    if (!read.ok) return;
    hazardLayer = L.geoJSON(read.data.geojson, {
      pmIgnore: true, snapIgnore: false, interactive: false,
      style: {color: "#c0392b", weight: 2, dashArray: "6 4", fillOpacity: 0.08},
      pointToLayer: (feature, latlng) => L.circleMarker(latlng, {radius: 6, pmIgnore: true, snapIgnore: false}),
    }).addTo(map);
    hazardLayer.bindTooltip(words.hazard.replace("{key}", key));
    box.dataset.hazard = key;
    if (!drawn) map.fitBounds(hazardLayer.getBounds(), {maxZoom: 17});
  }
  if (hazardInput) hazardInput.addEventListener("change", showHazard);

  /* ---- Drawing ---- */
  let drawn = null;
  // The drawing tools speak the page's language: their words come from the catalogue.
  const texts = {};
  Object.keys(words).filter((key) => key.startsWith("pm.")).forEach(function (key) {
    const [, group, name] = key.split(".");
    texts[group] = texts[group] || {};
    texts[group][name] = words[key];
  });
  map.pm.setLang("demine", texts, "en");
  map.pm.setGlobalOptions({allowSelfIntersection: false, snappable: true, snapDistance: 15});
  map.pm.addControls({
    position: "topleft",
    drawMarker: punctual, drawCircleMarker: false, drawCircle: false, drawText: false,
    drawPolyline: types.includes("LineString"), drawPolygon: polygonal, drawRectangle: polygonal,
    editMode: true, dragMode: true, cutPolygon: false, removalMode: true, rotateMode: false,
  });

  function toWkt(layer) {
    const ring = (points) => {
      const coords = points.map((p) => p.lng + " " + p.lat);
      coords.push(coords[0]);
      return "(" + coords.join(", ") + ")";
    };
    if (layer instanceof L.Polygon) {
      const rings = layer.getLatLngs();
      if (Array.isArray(rings[0][0])) return "MULTIPOLYGON (" + rings.map((part) => "(" + part.map(ring).join(", ") + ")").join(", ") + ")";
      return "POLYGON (" + rings.map(ring).join(", ") + ")";
    }
    if (layer instanceof L.Polyline) return "LINESTRING (" + layer.getLatLngs().map((p) => p.lng + " " + p.lat).join(", ") + ")";
    const p = layer.getLatLng();
    return "POINT (" + p.lng + " " + p.lat + ")";
  }

  function changed(layer) {
    if (layer.pm && layer.pm.hasSelfIntersection && layer.pm.hasSelfIntersection()) {
      refuse(words.crossing);
      return;
    }
    wkt.value = toWkt(layer);
    box.classList.remove("invalid");
    measureLayer(layer);
  }

  function keep(layer) {
    if (drawn && drawn !== layer) map.removeLayer(drawn);
    drawn = layer;
    layer.on("pm:edit", () => changed(layer));
    layer.on("pm:intersect", () => refuse(words.crossingEdit));
    changed(layer);
  }

  map.on("pm:create", (event) => keep(event.layer));
  // While drawing, geoman refuses a point that would make the shape cross itself.
  map.on("pm:intersect", () => refuse(words.crossing));
  map.on("pm:remove", function (event) {
    if (event.layer !== drawn) return;
    drawn = null;
    wkt.value = "";
    measure.textContent = "";
    delete measure.dataset.areaM2;
    if (useArea) useArea.hidden = true;
  });

  /* While a polygon is drawn: its area so far (with the point under the cursor), and a
     refusal when the next point would make it cross itself. */
  let following = null;
  map.on("pm:drawstart", function (event) {
    const working = event.workingLayer;
    if (!working || event.shape === "Marker") return;
    let cursor = null;
    const tool = map.pm.Draw[event.shape];
    const update = function () {
      const points = working.getLatLngs().slice();
      if (cursor) points.push(cursor);
      // geoman has checked the point under the cursor (its hint line turns red).
      if (tool && tool._doesSelfIntersect) refuse(words.crossing);
      else if (event.shape === "Polygon" && points.length >= 3) showArea(ringArea(points));
      else if (event.shape === "Line" && points.length >= 2) showLength(length(points));
    };
    working.on("pm:vertexadded", update);
    following = function (move) {
      cursor = move.latlng;
      if (working._map) update();
    };
    map.on("mousemove", following);
  });
  map.on("pm:drawend", function () {
    if (following) map.off("mousemove", following);
    following = null;
    if (drawn) measureLayer(drawn);
  });

  if (useArea) {
    useArea.addEventListener("click", function () {
      const field = document.querySelector('#activity [name="area_cleared_m2"]');
      if (field && measure.dataset.areaM2) field.value = Math.round(Number(measure.dataset.areaM2));
    });
  }

  /* ---- Typed, uploaded or WKT: read by the server, drawn here ---- */
  async function post(url, body, json) {
    const response = await fetch(url, {method: "POST", credentials: "same-origin", body: body,
      headers: json ? {"Content-Type": "application/json"} : {}});
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return {ok: response.ok, data: data};
  }

  function problems(slot, data) {
    const list = data && Array.isArray(data.problems) ? data.problems.map((p) => p.reason) : [];
    if (!list.length && data && Array.isArray(data.detail)) data.detail.forEach((d) => list.push(d.msg));
    slot.textContent = list.length ? list.join(" ") : (data && data.message) || words.unreadable;
  }

  function drawGeoJson(geometry) {
    const layers = [];
    L.geoJSON(geometry, {pointToLayer: (feature, latlng) => L.marker(latlng)}).eachLayer((l) => layers.push(l));
    if (!layers.length) return;
    const layer = layers[0];
    layer.addTo(map);
    keep(layer);
    if (layer.getBounds) map.fitBounds(layer.getBounds(), {maxZoom: 17});
    else map.setView(layer.getLatLng(), 16);
  }

  /* What typed positions make: a kind with areas and points (a hazard area, or an EOD
     spot task's point) takes one position as a point and more as a polygon. */
  function shape(text) {
    if (polygonal && punctual) {
      if (text === undefined) return "auto";
      const lines = text.split("\n").filter((line) => line.trim() && !line.trim().startsWith("#"));
      return lines.length === 1 ? "point" : "polygon";
    }
    return polygonal ? "polygon" : punctual ? "point" : "auto";
  }

  const typedSlot = box.querySelector('[data-problem="coordinates"]');
  document.getElementById("coordinates-read").addEventListener("click", async function () {
    typedSlot.textContent = "";
    const text = document.getElementById("coordinates-text").value;
    const read = await post("/api/geometry/typed", JSON.stringify({text: text, shape: shape(text)}), true);
    if (read.ok) drawGeoJson(read.data.geojson);
    else problems(typedSlot, read.data);
  });

  const fileSlot = box.querySelector('[data-problem="file"]');
  document.getElementById("gps-file").addEventListener("change", async function (event) {
    fileSlot.textContent = "";
    const file = event.target.files[0];
    if (!file) return;
    const data = new FormData();
    data.append("file", file);
    data.append("shape", shape());
    const read = await post("/api/geometry/file", data, false);
    if (read.ok) drawGeoJson(read.data.geojson);
    else problems(fileSlot, read.data);
  });

  /* WKT typed by hand, or loaded with a saved draft: drawn too. */
  async function fromWkt() {
    const text = wkt.value.trim();
    if (!text) return;
    const read = await post("/api/geometry/typed", JSON.stringify({text: text}), true);
    if (read.ok) {
      drawGeoJson(read.data.geojson);
      wkt.value = text;
    } else {
      refuse("");
      problems(box.querySelector('[data-problem="wkt"]'), read.data);
    }
  }
  wkt.addEventListener("change", fromWkt);
  // demine-forms.js has filled the form from a saved draft before this script runs.
  fromWkt().then(() => (hazardInput && hazardInput.value ? showHazard() : null));
  box.dataset.ready = "true";
})();
