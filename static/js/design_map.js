// A before/after design on a map: the target circle, the displacement buffer and the comparison
// ring drawn around the problem's location, and the crime points of each area coloured by before
// (blue) and after (orange). From the permission-checked GeoJSON view; the table under the map
// gives each area's counts.
(function () {
  "use strict";

  const STYLES = {
    target: { color: "#b00020", weight: 3, fill: false },
    buffer: { color: "#6f42c1", weight: 2, dashArray: "8 6", fill: false },
    comparison: { color: "#2e6b30", weight: 2, dashArray: "2 6", fill: false },
  };
  const PERIOD_COLOURS = { before: "#1d4f91", after: "#a63d00" };

  const maps = window.CommonGroundMaps;
  maps &&
    maps.ready(function () {
      const element = document.querySelector("[data-design-map]");
      const map = element && maps.create(element);
      if (!map) {
        return;
      }
      maps
        .getJSON(element.dataset.geojsonUrl)
        .then(function (data) {
          const everything = window.L.featureGroup().addTo(map);
          let areas = 0;
          let points = 0;
          data.features.forEach(function (feature) {
            const c = feature.geometry.coordinates;
            const at = [c[1], c[0]];
            const props = feature.properties;
            if (props.kind === "area") {
              const style = STYLES[props.area];
              const outer = window.L.circle(at, Object.assign({ radius: props.outer_m }, style));
              outer.bindTooltip(props.label);
              everything.addLayer(outer);
              if (props.inner_m) {
                everything.addLayer(window.L.circle(at, Object.assign({ radius: props.inner_m }, style)));
              }
              areas += 1;
            } else {
              const point = window.L.circleMarker(at, {
                radius: 4 + Math.min(props.count, 6),
                color: "#fff",
                weight: 1,
                fillColor: PERIOD_COLOURS[props.period],
                fillOpacity: 0.85,
              });
              point.bindTooltip(props.count + " " + props.period + " (" + props.area + ")");
              everything.addLayer(point);
              points += 1;
            }
          });
          maps.fitTo(map, everything, 17);
          element.dataset.areas = String(areas);
          element.dataset.points = String(points);
          element.dataset.mapReady = "true";
        })
        .catch(function (error) {
          element.dataset.mapError = error.message;
        });
    });
})();
