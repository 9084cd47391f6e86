// The problem map: the problems of the page's filters from the permission-checked GeoJSON view,
// one circle per problem coloured by stage, clustered where they are dense. Each links to the
// problem. The table under the map lists the same problems.
(function () {
  "use strict";

  const maps = window.CommonGroundMaps;
  maps &&
    maps.ready(function () {
      const element = document.querySelector("[data-problem-map]");
      const map = element && maps.create(element);
      if (!map) {
        return;
      }
      const group =
        typeof window.L.markerClusterGroup === "function"
          ? window.L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 })
          : window.L.featureGroup();
      maps
        .getJSON(element.dataset.geojsonUrl)
        .then(function (data) {
          data.features.forEach(function (feature) {
            const props = feature.properties;
            const coordinates = feature.geometry.coordinates;
            const colour = maps.STAGE_COLOURS[props.stage] || "#212529";
            const marker = window.L.circleMarker([coordinates[1], coordinates[0]], {
              radius: 8,
              color: "#fff",
              weight: 2,
              fillColor: colour,
              fillOpacity: 0.9,
            });
            const link = document.createElement("a");
            link.href = element.dataset.detailUrl.replace("/0/", "/" + props.id + "/");
            link.textContent = props.reference + ": " + props.title;
            const popup = document.createElement("div");
            popup.appendChild(link);
            popup.appendChild(document.createElement("br"));
            popup.appendChild(document.createTextNode(props.stage_label + ", " + props.category));
            marker.bindPopup(popup);
            group.addLayer(marker);
          });
          group.addTo(map);
          if (data.features.length) {
            maps.fitTo(map, group, 15);
          }
          element.dataset.points = String(data.features.length);
          element.dataset.mapReady = "true";
        })
        .catch(function (error) {
          element.dataset.mapError = error.message;
        });
    });
})();
