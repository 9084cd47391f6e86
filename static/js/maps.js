// The one way a page makes a Leaflet map (window.CommonGroundMaps.create): the tile layer from the
// element's data-tile-url (settings.MAP_TILE_URL; none gives a plain background), a metric scale,
// and the page's own layers added by the page's script. Every map has a table or list beside it
// carrying the same data, so nothing depends on seeing the map.
(function () {
  "use strict";

  const STAGE_COLOURS = {
    scanning: "#1d4f91",
    analysis: "#6f42c1",
    response: "#a63d00",
    assessment: "#2e6b30",
    closed: "#6c757d",
  };
  // Great Britain, for a map with nothing on it yet.
  const DEFAULT_CENTRE = [54.0, -2.5];
  const DEFAULT_ZOOM = 6;

  function create(element, options) {
    if (typeof window.L === "undefined") {
      return null;
    }
    // The map's own zoom limit: with no tile layer nothing else sets one (clustering needs it).
    const maxZoom = parseInt(element.dataset.tileMaxZoom || "19", 10);
    const map = window.L.map(element, Object.assign({ scrollWheelZoom: false, maxZoom: maxZoom }, options || {}));
    const url = element.dataset.tileUrl;
    if (url) {
      window.L.tileLayer(url, {
        attribution: element.dataset.tileAttribution || "",
        maxZoom: maxZoom,
      }).addTo(map);
    }
    window.L.control.scale({ imperial: false }).addTo(map);
    map.setView(DEFAULT_CENTRE, DEFAULT_ZOOM);
    return map;
  }

  function fitTo(map, layer, maxZoom) {
    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: maxZoom || 16 });
    }
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } }).then(
      function (response) {
        if (!response.ok) {
          throw new Error("Map data could not be loaded (" + response.status + ")");
        }
        return response.json();
      }
    );
  }

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  window.CommonGroundMaps = {
    create: create,
    fitTo: fitTo,
    getJSON: getJSON,
    ready: ready,
    STAGE_COLOURS: STAGE_COLOURS,
  };
})();
