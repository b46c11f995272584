/* The dashboard map (Leaflet). The background is drawn from the vendored Natural Earth
   GeoJSON, so the map needs no tile server and no internet connection. The register's
   layers are fetched for the visible box and zoom after every move: the server sends
   counts per grid cell at low zoom and simplified shapes, never a national dump. Which
   layers a person gets is decided by the server (public: district figures only). */
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
    minefields: "#2e86c1"};

  const map = L.map(element, {minZoom: 2, maxZoom: 17, worldCopyJump: false});
  const figures = {};

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
  const BASEMAP = [
    ["land", {color: "#c9c3b3", weight: 0.5, fillColor: "#efeadf", fillOpacity: 1}],
    ["lakes", {color: "#9cc0d9", weight: 0.5, fillColor: "#cfe2ef", fillOpacity: 1}],
    ["boundaries", {color: "#9b8f7a", weight: 1, dashArray: "4 3", fill: false}],
  ];
  element.style.background = "#cfe2ef";
  BASEMAP.forEach(function ([name, style]) {
    fetch("/static/basemap/" + name + ".geojson")
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
    if (row) {
      html += "<br>" + escape(words.devicesFound) + ": " + number(row.devices_found) +
        "<br>" + escape(words.hectaresCleared) + ": " + number(row.hectares_cleared) +
        "<br>" + escape(words.accidents) + ": " + number(row.accidents) +
        "<br><small>" + escape(words.since) + "</small>";
    }
    return html;
  }

  function pointColour(name, properties) {
    if (name === "accidents") return LAYER_COLOURS.accidents;
    const category = properties.category;
    return CATEGORY_COLOURS[category] || OTHER_COLOUR;
  }

  function pointLayer(name) {
    return function (feature, latlng) {
      const properties = feature.properties;
      if (properties.kind === "cell") {
        // Grows with the count but stays inside its cell (about 40 pixels wide).
        const radius = Math.min(18, 4 + 1.4 * Math.log2(1 + properties.count));
        const cellWord = name === "finds" ? words.devicesInCell : words.accidentsInCell;
        return L.circleMarker(latlng, {radius: radius, color: "#ffffff", weight: 1,
          fillColor: LAYER_COLOURS[name], fillOpacity: 0.6})
          .bindTooltip(number(properties.count) + " " + escape(cellWord));
      }
      const label = properties.category || properties.device_category || "";
      return L.circleMarker(latlng, {radius: 5, color: "#ffffff", weight: 1,
        fillColor: pointColour(name, {category: label}), fillOpacity: 0.9})
        .bindPopup("<strong>" + escape(feature.id) + "</strong><br>" + escape(words.category) + ": " + escape(label));
    };
  }

  function makeLayer(name) {
    if (name === "districts") {
      return L.geoJSON(null, {
        style: {color: LAYER_COLOURS.districts, weight: 1.2, fillColor: "#ffffff", fillOpacity: 0.15},
        onEachFeature: (feature, layer) => layer.bindPopup(() => districtPopup(feature)),
      });
    }
    if (name === "hazards") {
      return L.geoJSON(null, {
        style: (feature) => ({color: HAZARD_COLOURS[feature.properties.classification] || OTHER_COLOUR,
          weight: 1, fillOpacity: 0.35}),
        pointToLayer: (feature, latlng) => L.circleMarker(latlng, {radius: 5}),
        onEachFeature: function (feature, layer) {
          const p = feature.properties;
          layer.bindPopup("<strong>" + escape(p.external_id) + "</strong><br>" +
            escape(words[p.classification] || p.classification) + "<br>" +
            escape(words.status) + ": " + escape(words["status." + p.status] || p.status));
        },
      });
    }
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
    return L.geoJSON(null, {pointToLayer: pointLayer(name)});
  }

  const layers = {};
  const overlays = {};
  config.layers.forEach(function (name) {
    layers[name] = makeLayer(name).addTo(map);
    overlays[words[name]] = layers[name];
  });
  L.control.layers({[words.background]: background}, overlays, {collapsed: false}).addTo(map);

  const legend = L.control({position: "bottomright"});
  legend.onAdd = function () {
    const box = L.DomUtil.create("div", "legend");
    let html = "<strong>" + escape(words.legend) + "</strong>";
    config.layers.forEach(function (name) {
      html += '<div><span class="swatch" style="background:' + LAYER_COLOURS[name] + '"></span>' + escape(words[name]) + "</div>";
    });
    if (layers.finds) {
      Object.keys(CATEGORY_COLOURS).forEach(function (category) {
        html += '<div class="sub"><span class="dot" style="background:' + CATEGORY_COLOURS[category] + '"></span>' + escape(words[category] || category) + "</div>";
      });
    }
    box.innerHTML = html;
    return box;
  };
  legend.addTo(map);

  function clamp(value, limit) {
    return Math.max(-limit, Math.min(limit, value));
  }

  const pending = {};
  const truncated = {};

  function refresh(name) {
    const layer = layers[name];
    if (!layer || !map.hasLayer(layer)) return;
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
        layer.clearLayers();
        layer.addData(data);
        truncated[name] = data.truncated;
        element.dataset["features" + name.charAt(0).toUpperCase() + name.slice(1)] = String(data.features.length);
        showNote(data.aggregated);
      })
      .catch(function (error) {
        if (error.name !== "AbortError") note.textContent = words.loadFailed;
      });
  }

  function showNote(aggregated) {
    const parts = [];
    if (aggregated) parts.push(words.aggregated);
    if (Object.values(truncated).some(Boolean)) parts.push(words.truncated);
    note.textContent = parts.join(" ");
  }

  function refreshAll() {
    Object.keys(layers).forEach(refresh);
  }

  map.on("moveend", refreshAll);
  map.on("overlayadd", function (event) {
    Object.keys(layers).forEach((name) => layers[name] === event.layer && refresh(name));
  });

  // Figures for the district popups: aggregates only, the same for every role.
  fetch("/api/public/districts", {credentials: "same-origin"})
    .then((response) => response.json())
    .then(function (data) {
      data.districts.forEach((row) => { figures[row.code] = row; });
      element.dataset.figures = "loaded";
      // A popup opened before the figures came gets them now.
      layers.districts.eachLayer((layer) => layer.isPopupOpen() && layer.getPopup().update());
    })
    .catch(() => { note.textContent = words.loadFailed; });

  const [minX, minY, maxX, maxY] = config.extent;
  map.fitBounds([[minY, minX], [maxY, maxX]]);
})();
