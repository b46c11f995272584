/* The dashboard map (Leaflet). The background is drawn from the vendored Natural Earth
   GeoJSON, so the map needs no tile server and no internet connection. Finds, hazards
   and accidents are the OGC API's vector tiles (Leaflet.VectorGrid): each tile is asked
   once, in parallel, and the server counts dense points in cells at low zoom, never a
   national dump. Districts and minefield records are fetched for the visible box and
   zoom after every move (simplified shapes). Which layers a person gets is decided by
   the server (public: district figures only). The predicted risk layer (risk cells,
   security-sensitive) is fetched like the minefield records, coloured by the server's
   classes, and starts hidden: it would cover the districts' shading.
   The districts are shaded by the week's public figures (a choropleth whose classes,
   colours and legend the server wrote into the page) and named at a point inside each. */
(function () {
  "use strict";

  const words = JSON.parse(document.getElementById("words").textContent);
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const element = document.getElementById("map");
  const note = document.getElementById("map-note");
  if (!element || typeof L === "undefined") return;

  // The same colours as the bulletin's charts (reports/charts.py).
  const CATEGORY_COLOURS = {AP_MINE: "#c0392b", AT_MINE: "#8e44ad", UXO: "#e67e22"};
  const OTHER_COLOUR = "#7f8c8d";
  const HAZARD_COLOURS = {CHA: "#c0392b", SHA: "#e67e22", EOD_SPOT_TASK: "#8e44ad"};
  const LAYER_COLOURS = {districts: "#5b5b5b", hazards: "#c0392b", finds: "#e67e22", accidents: "#1f2d3d",
    minefields: "#2e86c1", risk: "#c51b8a"};
  // The predicted risk's classes, colours and labels, written by the server (web/risk_legend.py).
  const RISK_CLASSES = config.risk || [];

  const map = L.map(element, {minZoom: 2, maxZoom: 17, worldCopyJump: false});
  const figures = {};
  // The week's shading: district rows by code, and each measure's colour per class.
  const choropleth = config.choropleth;
  const week = {};
  const colours = {};
  let measure = "devices_found";
  if (choropleth) {
    choropleth.districts.forEach((row) => { week[row.code] = row; });
    Object.keys(choropleth.measures).forEach(function (name) {
      colours[name] = {};
      choropleth.measures[name].legend.forEach((entry) => { colours[name][entry.key] = entry.colour; });
    });
  }

  function escape(text) {
    const span = document.createElement("span");
    span.textContent = text === null || text === undefined ? "" : String(text);
    return span.innerHTML;
  }

  // Numbers written as the page's text writes them (the server's symbols, from Babel):
  // browsers do not all know every locale's ("az" falls back to English in some).
  const symbols = config.numbers || {group: ",", decimal: "."};
  function number(value) {
    if (typeof value !== "number") return escape(value);
    const english = value.toLocaleString("en-US", {maximumFractionDigits: 2});
    return escape(english.replace(/[,.]/g, (c) => (c === "," ? symbols.group : symbols.decimal)));
  }

  /* Background: land, lakes and boundaries on a canvas in a pane of their own, under
     every register layer. */
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = 250;
  const basemapRenderer = L.canvas({pane: "basemap"});
  const background = L.layerGroup().addTo(map);
  // The district boundaries' licence (CC BY-SA 3.0) asks for this credit on every map.
  if (map.attributionControl && words.credit) map.attributionControl.addAttribution(escape(words.credit));
  const BASEMAP = [
    ["land", {color: "#c9c3b3", weight: 0.5, fillColor: "#efeadf", fillOpacity: 1}],
    ["lakes", {color: "#9cc0d9", weight: 0.5, fillColor: "#cfe2ef", fillOpacity: 1}],
    ["boundaries", {color: "#9b8f7a", weight: 1, dashArray: "4 3", fill: false}],
  ];
  element.style.background = "#cfe2ef";
  BASEMAP.forEach(function ([name, style]) {
    // By the versioned address the login page fetched ahead (web/static_assets.py).
    fetch((config.basemap && config.basemap[name]) || "/static/basemap/" + name + ".geojson")
      .then((response) => response.json())
      .then(function (data) {
        background.addLayer(L.geoJSON(data, {pane: "basemap", renderer: basemapRenderer, style: style, interactive: false}));
      });
  });

  function districtPopup(feature) {
    const code = feature.properties.code;
    const row = figures[code];
    const properties = feature.properties;
    const name = properties["name_" + document.documentElement.lang] || properties.name;
    let html = "<strong>" + escape(name) + "</strong>";
    const shown = week[code];
    if (shown && shown.reported) {
      html += "<br><em>" + escape(choropleth.week) + "</em>" +
        "<br>" + escape(words.devicesFound) + ": " + number(shown.devices_found) +
        " (" + [["AP_MINE", "ap_mines"], ["AT_MINE", "at_mines"], ["UXO", "uxo"], ["otherDevices", "other_devices"]]
          .map(([word, key]) => escape(words[word]) + " " + number(shown[key])).join(", ") + ")" +
        "<br>" + escape(words.hectaresCleared) + ": " + number(shown.hectares_cleared);
    } else if (shown) {
      html += "<br><em>" + escape(words.noReport) + "</em>";
    }
    if (row) {
      html += "<br>" + escape(words.devicesFound) + ": " + number(row.devices_found) +
        "<br>" + escape(words.hectaresCleared) + ": " + number(row.hectares_cleared) +
        "<br>" + escape(words.accidents) + ": " + number(row.accidents) +
        "<br><small>" + escape(words.since) + "</small>";
    }
    return html;
  }

  /* Finds, hazards and accidents: vector tiles of the OGC API collections, drawn on a
     canvas per tile (thousands of shapes at a national view: as SVG elements, drawing
     them took longer than fetching them). The canvases let every click through to the
     districts below; a click or hover on the map is tested against the records drawn
     first (recordAt), topmost layer first, as the eye sees them. */
  const TILED = {finds: ["finds"], hazards: ["hazards-areas", "hazards-points"], accidents: ["accidents"]};
  map.createPane("records");
  map.getPane("records").style.zIndex = 420;
  map.getPane("records").style.pointerEvents = "none";
  const aggregated = {};
  // (Hazard areas counted in a cell are said with the layer's name.)
  const CELL_WORDS = {finds: words.devicesInCell, accidents: words.accidentsInCell, hazards: words.hazards};

  function cellStyle(name, properties) {
    // Grows with the count: cells are 8 pixels apart, a large count covers a few.
    const count = properties.quantity !== undefined ? properties.quantity : properties.count;
    const radius = Math.min(14, 3 + 1.2 * Math.log2(1 + count));
    return {radius: radius, color: "#ffffff", weight: 1, fill: true, fillColor: LAYER_COLOURS[name], fillOpacity: 0.6};
  }

  function pointStyle(name) {
    return function (properties) {
      if (properties.count !== undefined) return cellStyle(name, properties);
      const colour = name === "accidents" ? LAYER_COLOURS.accidents :
        name === "hazards" ? HAZARD_COLOURS[properties.classification] || OTHER_COLOUR :
          CATEGORY_COLOURS[properties.category] || OTHER_COLOUR;
      return {radius: 5, color: "#ffffff", weight: 1, fill: true, fillColor: colour, fillOpacity: 0.9};
    };
  }

  function hazardAreaStyle(properties) {
    if (properties.count !== undefined) return cellStyle("hazards", properties);
    const colour = HAZARD_COLOURS[properties.classification] || OTHER_COLOUR;
    return {color: colour, weight: 1, fill: true, fillColor: colour, fillOpacity: 0.35};
  }

  function tilePopup(name, properties) {
    if (properties.count !== undefined) {
      const count = properties.quantity !== undefined ? properties.quantity : properties.count;
      return number(count) + " " + escape(CELL_WORDS[name]);
    }
    if (name === "hazards") {
      return "<strong>" + escape(properties.external_id) + "</strong><br>" +
        escape(words[properties.classification] || properties.classification) + "<br>" +
        escape(words.status) + ": " + escape(words["status." + properties.status] || properties.status);
    }
    const label = properties.category || properties.device_category || "";
    return "<strong>" + escape(properties.external_id) + "</strong><br>" + escape(words.category) + ": " + escape(label);
  }

  // The features drawn in the tiles kept, said on the map (tests and the bench read it),
  // and whether any of them counts records in a cell.
  function countDrawn(name) {
    let drawn = 0;
    aggregated[name] = false;
    tiled[name].forEach(function (grid) {
      Object.values(grid._vectorTiles).forEach(function (tile) {
        Object.values(tile._features || {}).forEach(function (kept) {
          drawn += 1;
          if (kept.feature.properties.count !== undefined) aggregated[name] = true;
        });
      });
    });
    return drawn;
  }

  const tiled = {};
  const gridNames = new Map();

  // The record drawn topmost under a mouse event, with its layer's name, or null: the
  // tile under the pointer of each tiled layer shown, from the top of the pane down,
  // its shapes tested as Leaflet's canvas renderer tests them (the last drawn wins).
  function recordAt(event) {
    const point = map.mouseEventToLayerPoint(event);
    const grids = Array.from(gridNames.keys()).filter((grid) => map.hasLayer(grid) && grid.getContainer());
    const pane = Array.from(map.getPane("records").children);
    grids.sort((a, b) => pane.indexOf(b.getContainer()) - pane.indexOf(a.getContainer()));
    for (const grid of grids) {
      const zoom = grid._tileZoom;
      if (zoom === undefined) continue;
      const coords = map.project(map.layerPointToLatLng(point), zoom).unscaleBy(grid.getTileSize()).floor();
      coords.z = zoom;
      const tile = grid._vectorTiles[grid._tileCoordsToKey(coords)];
      if (!tile || !tile._map) continue;
      const local = point.subtract(tile.getOffset());
      let found = null;
      Object.values(tile._features || {}).forEach(function (kept) {
        const shape = kept.feature;
        // Its bounds in pixels, which the test needs, worked out the first time asked.
        if (shape._pxBounds === undefined) shape.makeInteractive();
        if (shape._containsPoint(local)) found = shape;
      });
      if (found) return {name: gridNames.get(grid), properties: found.properties};
    }
    return null;
  }

  // A click on a record opens its popup (and not the district's under it); a click
  // that ended a drag opens nothing.
  let pressedAt = null;
  element.addEventListener("pointerdown", (event) => { pressedAt = [event.clientX, event.clientY]; }, true);
  element.addEventListener("click", function (event) {
    const moved = pressedAt && Math.hypot(event.clientX - pressedAt[0], event.clientY - pressedAt[1]) > 4;
    if (moved || !element.contains(event.target) || event.target.closest(".leaflet-control, .leaflet-popup")) return;
    const hit = recordAt(event);
    if (!hit) return;
    event.stopPropagation();
    L.popup().setLatLng(map.mouseEventToLatLng(event)).setContent(tilePopup(hit.name, hit.properties)).openOn(map);
  }, true);
  // The pointer says a record can be clicked, tested at most once a frame.
  let hovering = null;
  element.addEventListener("mousemove", function (event) {
    if (hovering) { hovering = event; return; }
    hovering = event;
    window.requestAnimationFrame(function () {
      const last = hovering;
      hovering = null;
      const over = !last.target.closest(".leaflet-control, .leaflet-popup") && recordAt(last) !== null;
      element.classList.toggle("over-record", over);
    });
  });

  function tiledLayer(name) {
    const styles = {};
    tiled[name] = TILED[name].map(function (collection) {
      styles[collection] = collection === "hazards-areas" ? hazardAreaStyle : pointStyle(name);
      let serial = 0;
      const grid = L.vectorGrid.protobuf("/ogc/collections/" + collection + "/tiles/WebMercatorQuad/{z}/{y}/{x}", {
        pane: "records",
        rendererFactory: L.canvas.tile,
        // Hit-tested by recordAt, not by the canvases (which would hide the districts).
        interactive: false,
        vectorTileLayerStyles: {[collection]: styles[collection]},
        // Kept per tile, so that the features drawn can be counted.
        getFeatureId: () => (serial += 1),
        fetchOptions: {credentials: "same-origin"},
        maxZoom: 17,
      });
      gridNames.set(grid, name);
      grid.on("loading", function () { element.dataset["tiles" + title(name)] = "loading"; });
      grid.on("load", function () {
        if (tiled[name].every((other) => !other.isLoading())) {
          element.dataset["features" + title(name)] = String(countDrawn(name));
          element.dataset["tiles" + title(name)] = "loaded";
          showNote();
        }
      });
      return grid;
    });
    return L.layerGroup(tiled[name]);
  }

  function title(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function districtStyle(feature) {
    const row = week[feature.properties.code];
    if (!row) return {color: LAYER_COLOURS.districts, weight: 1.2, fillColor: "#ffffff", fillOpacity: 0.15};
    const shade = row.shades[measure];
    // No data: grey with a dashed edge, never mistaken for a reported zero (white).
    return {color: "#4d4d4d", weight: 1, fillColor: colours[measure][shade], fillOpacity: 0.85,
      dashArray: shade === "no-data" ? "3 3" : null, className: "district"};
  }

  // The class a district is drawn in, said on its shape (Leaflet's style keeps no name).
  function markShade(layer) {
    const path = layer.getElement && layer.getElement();
    const row = week[layer.feature.properties.code];
    if (path && row) path.dataset.shade = row.shades[measure];
  }

  function makeLayer(name) {
    if (name === "districts") {
      return L.geoJSON(null, {
        style: districtStyle,
        onEachFeature: function (feature, layer) {
          layer.bindPopup(() => districtPopup(feature));
          layer.on("add", () => markShade(layer));
        },
      });
    }
    if (TILED[name]) return tiledLayer(name);
    if (name === "minefields") {
      return L.geoJSON(null, {
        style: {color: LAYER_COLOURS.minefields, weight: 1.5, dashArray: "4 3", fillOpacity: 0.1},
        onEachFeature: function (feature, layer) {
          const p = feature.properties;
          layer.bindPopup("<strong>" + escape(p.external_id) + "</strong><br>" +
            escape(words.source) + ": " + escape(p.source) + "<br>" +
            escape(words.status) + ": " + escape(words["status." + p.status] || p.status));
        },
      });
    }
    if (name === "risk") {
      return L.geoJSON(null, {
        style: function (feature) {
          return {color: riskColour(feature.properties.risk), weight: 0.5, fillColor: riskColour(feature.properties.risk),
            fillOpacity: 0.6, className: "risk-cell"};
        },
        onEachFeature: (feature, layer) => layer.bindPopup(() => riskPopup(feature.properties)),
      });
    }
    return L.geoJSON(null);
  }

  function riskColour(risk) {
    const found = RISK_CLASSES.find((entry) => risk < entry.to) || RISK_CLASSES[RISK_CLASSES.length - 1];
    return found ? found.colour : LAYER_COLOURS.risk;
  }

  function riskPopup(p) {
    let html = "<strong>" + escape(words.riskCell.replace("{cell}", p.cell)) + "</strong><br>" +
      escape(words.riskOf).replace("{risk}", number(Math.round(p.risk * 1000) / 10) + " %") + "<br>" +
      "<small>" + escape(words.riskModel.replace("{model}", p.model).replace("{day}", p.events_before)
        .replace("{computed}", p.predicted_on)) + "</small>";
    const factors = [1, 2, 3].filter((rank) => p["factor_" + rank])
      .map((rank) => escape(p["factor_" + rank]) + " (" + number(p["factor_" + rank + "_contribution"]) + ")");
    if (factors.length) html += "<br>" + escape(words.riskFactors) + ": " + factors.join(", ");
    return html;
  }

  const layers = {};
  const overlays = {};
  config.layers.forEach(function (name) {
    layers[name] = makeLayer(name);
    if (name !== "risk") layers[name].addTo(map);
    overlays[words[name]] = layers[name];
  });
  // Folded on a narrow screen, where it would cover much of the map.
  L.control.layers({[words.background]: background}, overlays, {collapsed: element.clientWidth < 600}).addTo(map);

  // The legend sits beside the map (below it on a narrow screen), never over the map or
  // the charts. The districts' classes are in the page already; other layers are added.
  const layersLegend = document.getElementById("map-layers-legend");
  if (layersLegend) {
    let html = "";
    config.layers.forEach(function (name) {
      if (name === "districts" && choropleth) return;
      html += '<div><span class="swatch" style="background:' + LAYER_COLOURS[name] + '"></span>' + escape(words[name]) + "</div>";
    });
    RISK_CLASSES.forEach(function (entry) {
      html += '<div class="sub risk-class"><span class="swatch" style="background:' + entry.colour + '"></span>' + escape(entry.label) + "</div>";
    });
    // Which model's layer is drawn (a country may keep several; the last predicted).
    if (config.riskModel) {
      html += '<div class="sub risk-model"><small>' + escape(words.riskModel.replace("{model}", config.riskModel.model)
        .replace("{day}", config.riskModel.events_before).replace("{computed}", config.riskModel.predicted_on)) + "</small></div>";
    }
    if (layers.finds) {
      Object.keys(CATEGORY_COLOURS).forEach(function (category) {
        html += '<div class="sub"><span class="dot" style="background:' + CATEGORY_COLOURS[category] + '"></span>' + escape(words[category] || category) + "</div>";
      });
    }
    layersLegend.innerHTML = html;
  }

  /* District names, in a pane above the shapes that lets clicks through. Larger
     districts are named first; a name that would overlap one already written is left
     out at this zoom (and comes back when zooming in makes room). */
  map.createPane("labels");
  map.getPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  const labels = [];
  if (choropleth) {
    choropleth.districts
      .filter((row) => row.label_point)
      .sort((a, b) => a.label_rank - b.label_rank)
      .forEach(function (row) {
        const icon = L.divIcon({className: "district-label", iconSize: null,
          html: '<span data-code="' + escape(row.code) + '">' + escape(row.name) + "</span>"});
        const [lon, lat] = row.label_point;
        labels.push(L.marker([lat, lon], {icon: icon, pane: "labels", interactive: false, keyboard: false}).addTo(map));
      });
  }

  function placeLabels() {
    const kept = [];
    labels.forEach(function (marker) {
      const span = marker.getElement() && marker.getElement().firstChild;
      if (!span) return;
      span.style.visibility = "";
      const box = span.getBoundingClientRect();
      const clash = kept.some((other) => box.left < other.right + 2 && other.left < box.right + 2 &&
        box.top < other.bottom && other.top < box.bottom);
      if (clash) span.style.visibility = "hidden";
      else kept.push(box);
    });
    element.dataset.labels = String(kept.length);
  }

  function showMeasure(name) {
    measure = name;
    document.querySelectorAll("#map-legend .classes").forEach((box) => { box.hidden = box.dataset.measure !== name; });
    if (layers.districts) {
      layers.districts.setStyle(districtStyle);
      layers.districts.eachLayer(markShade);
    }
    element.dataset.measure = name;
  }
  document.querySelectorAll('#map-legend input[name="measure"]').forEach(function (input) {
    input.addEventListener("change", () => input.checked && showMeasure(input.value));
  });
  if (choropleth) element.dataset.measure = measure;

  function clamp(value, limit) {
    return Math.max(-limit, Math.min(limit, value));
  }

  function shapeKey(shape) {
    const feature = shape.feature;
    if (!feature) return undefined;
    return feature.id !== undefined && feature.id !== null ? feature.id : feature.properties.code;
  }

  const pending = {};
  const truncated = {};

  function refresh(name) {
    const layer = layers[name];
    if (!layer || !map.hasLayer(layer) || TILED[name]) return;
    if (pending[name]) pending[name].abort();
    const controller = new AbortController();
    pending[name] = controller;
    const bounds = map.getBounds();
    const bbox = [clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90),
      clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90)].map((v) => v.toFixed(5)).join(",");
    fetch("/api/map/" + name + "?bbox=" + bbox + "&zoom=" + map.getZoom(),
      {signal: controller.signal, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        // A popup open on a shape drawn again stays open (a popup that pans the map
        // into view makes the map fetch its layers again).
        let open = null;
        layer.eachLayer(function (shape) {
          const id = shapeKey(shape);
          if (id !== undefined && shape.isPopupOpen()) open = {id: id, at: shape.getPopup().getLatLng()};
        });
        layer.clearLayers();
        layer.addData(data);
        if (open) layer.eachLayer((shape) => shapeKey(shape) === open.id && shape.openPopup(open.at));
        truncated[name] = data.truncated;
        element.dataset["features" + title(name)] = String(data.features.length);
        showNote();
      })
      .catch(function (error) {
        if (error.name !== "AbortError") note.textContent = words.loadFailed;
      });
  }

  function showNote() {
    const parts = [];
    if (Object.values(aggregated).some(Boolean)) parts.push(words.aggregated);
    if (Object.values(truncated).some(Boolean)) parts.push(words.truncated);
    note.textContent = parts.join(" ");
  }

  function refreshAll() {
    Object.keys(layers).forEach(refresh);
  }

  map.on("moveend", refreshAll);
  map.on("zoomend", placeLabels);
  map.on("overlayadd", function (event) {
    Object.keys(layers).forEach((name) => layers[name] === event.layer && refresh(name));
  });

  // Figures for the district popups: aggregates only, the same for every role. Asked
  // for once every layer is drawn (or after a few seconds): the server takes a while
  // to count them on a national register, and the map's tiles should not wait.
  let figuresAsked = false;
  function loadFigures() {
    if (figuresAsked) return;
    figuresAsked = true;
    fetch("/api/public/districts", {credentials: "same-origin"})
      .then((response) => response.json())
      .then(function (data) {
        data.districts.forEach((row) => { figures[row.code] = row; });
        element.dataset.figures = "loaded";
        // A popup opened before the figures came gets them now.
        layers.districts.eachLayer((layer) => layer.isPopupOpen() && layer.getPopup().update());
      })
      .catch(() => { note.textContent = words.loadFailed; });
  }
  const layerNames = config.layers;
  const allDrawn = () => layerNames.every((name) => element.dataset["features" + title(name)] !== undefined);
  const drawnWatcher = new MutationObserver(function () {
    if (allDrawn()) {
      drawnWatcher.disconnect();
      loadFigures();
    }
  });
  drawnWatcher.observe(element, {attributes: true});
  window.setTimeout(loadFigures, 5000);

  const [minX, minY, maxX, maxY] = config.extent;
  map.fitBounds([[minY, minX], [maxY, maxX]]);
  placeLabels();
})();
