// The hotspot map: grid squares shaded by the crime counted in them and the numbered top
// locations, from the permission-checked GeoJSON view. The table under the map lists the top
// locations with their counts.
(function () {
  "use strict";

  const maps = window.CommonGroundMaps;
  maps &&
    maps.ready(function () {
      const element = document.querySelector("[data-hotspot-map]");
      const map = element && maps.create(element);
      if (!map) {
        return;
      }
      maps
        .getJSON(element.dataset.geojsonUrl)
        .then(function (data) {
          const cells = data.features.filter(function (f) {
            return f.properties.kind === "cell";
          });
          const most = cells.reduce(function (m, f) {
            return Math.max(m, f.properties.count);
          }, 1);
          const layer = window.L.geoJSON(cells, {
            style: function (feature) {
              return {
                color: "#a63d00",
                weight: 0.5,
                fillColor: "#a63d00",
                fillOpacity: 0.1 + 0.7 * (feature.properties.count / most),
              };
            },
            onEachFeature: function (feature, cell) {
              cell.bindTooltip(feature.properties.count + " recorded");
            },
          }).addTo(map);
          data.features
            .filter(function (f) {
              return f.properties.kind === "location";
            })
            .forEach(function (f) {
              const c = f.geometry.coordinates;
              window.L.circleMarker([c[1], c[0]], { radius: 7, color: "#fff", weight: 2, fillColor: "#1d4f91", fillOpacity: 1 })
                .bindTooltip(f.properties.rank + ". " + (f.properties.location || "") + ": " + f.properties.count)
                .addTo(map);
            });
          if (cells.length) {
            maps.fitTo(map, layer, 16);
          }
          element.dataset.cells = String(cells.length);
          element.dataset.mapReady = "true";
        })
        .catch(function (error) {
          element.dataset.mapError = error.message;
        });
    });
})();
