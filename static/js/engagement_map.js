// The engagement map: events where they were held (blue) and, at the middle of each
// neighbourhood's events, its open community priorities (orange), from the permission-checked
// GeoJSON view. The table under the map lists the same by neighbourhood.
(function () {
  "use strict";

  const maps = window.CommonGroundMaps;

  function popup(lines, href) {
    const box = document.createElement("div");
    lines.forEach(function (line, index) {
      if (index === 0 && href) {
        const link = document.createElement("a");
        link.href = href;
        link.textContent = line;
        box.appendChild(link);
      } else {
        const text = document.createElement(index === 0 ? "strong" : "div");
        text.textContent = line;
        box.appendChild(text);
      }
    });
    return box;
  }

  maps &&
    maps.ready(function () {
      const element = document.querySelector("[data-engagement-map]");
      const map = element && maps.create(element);
      if (!map) {
        return;
      }
      maps
        .getJSON(element.dataset.geojsonUrl)
        .then(function (data) {
          const everything = window.L.featureGroup().addTo(map);
          let events = 0;
          data.features.forEach(function (feature) {
            const c = feature.geometry.coordinates;
            const props = feature.properties;
            if (props.kind === "event") {
              const href = element.dataset.detailUrl.replace("/0/", "/" + props.id + "/");
              everything.addLayer(
                window.L.circleMarker([c[1], c[0]], { radius: 7, color: "#fff", weight: 2, fillColor: "#1d4f91", fillOpacity: 0.9 })
                  .bindPopup(popup([props.label, props.place, props.neighbourhood].filter(Boolean), href))
              );
              events += 1;
            } else {
              const lines = [props.neighbourhood + ": " + props.priorities.length + " open priorities"].concat(
                props.priorities.map(function (p) {
                  return p.issue + " (" + p.status + ")";
                })
              );
              everything.addLayer(
                window.L.circleMarker([c[1], c[0]], { radius: 12, color: "#a63d00", weight: 3, fillColor: "#a63d00", fillOpacity: 0.3 })
                  .bindPopup(popup(lines))
              );
            }
          });
          maps.fitTo(map, everything, 16);
          element.dataset.events = String(events);
          element.dataset.mapReady = "true";
        })
        .catch(function (error) {
          element.dataset.mapError = error.message;
        });
    });
})();
