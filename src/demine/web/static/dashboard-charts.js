/* The dashboard's trend charts, asked for once the map has drawn every layer.

   Drawing the charts takes the server longer than the rest of the page; asked at once,
   they would hold one of its workers while the map's tiles wait. The page says where to
   ask (data-src on #charts); the map says a layer is drawn with data-features-<layer>
   on #map (demine-map.js). If the map never says so (a layer failed), the charts are
   asked for after a few seconds all the same. */
(function () {
  "use strict";
  const section = document.getElementById("charts");
  const map = document.getElementById("map");
  const config = document.getElementById("map-config");
  if (!section || !section.dataset.src) return;
  const layers = config ? JSON.parse(config.textContent).layers : [];
  let asked = false;

  function title(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function drawn() {
    return !map || layers.every((name) => map.dataset["features" + title(name)] !== undefined);
  }

  function load() {
    if (asked) return;
    asked = true;
    fetch(section.dataset.src, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        section.insertAdjacentHTML("beforeend", html);
        section.removeAttribute("aria-busy");
        section.dataset.charts = "loaded";
      })
      .catch(function () {
        section.removeAttribute("aria-busy");
        section.dataset.charts = "failed";
      });
  }

  if (drawn()) {
    load();
    return;
  }
  const watcher = new MutationObserver(function () {
    if (drawn()) {
      watcher.disconnect();
      load();
    }
  });
  if (map) watcher.observe(map, {attributes: true});
  window.setTimeout(function () {
    watcher.disconnect();
    load();
  }, 5000);
})();
