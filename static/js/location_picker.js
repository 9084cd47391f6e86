// The problem form's location picker: click the map (or drag the pin) to set the latitude and
// longitude fields, and see the radius drawn. The typed fields stay the source of truth and the
// way to set the location from the keyboard: typing in them moves the pin.
(function () {
  "use strict";

  window.CommonGroundMaps && window.CommonGroundMaps.ready(function () {
    const picker = document.getElementById("location-picker");
    const latitude = document.getElementById("id_latitude");
    const longitude = document.getElementById("id_longitude");
    const radius = document.getElementById("id_radius_m");
    if (!picker || !latitude || !longitude) {
      return;
    }
    // Shown after the location's fields (the form's fields are drawn by one partial).
    const anchor = document.getElementById(radius ? "div_id_radius_m" : "div_id_longitude");
    if (anchor && anchor.parentNode) {
      anchor.parentNode.insertBefore(picker, anchor.nextSibling);
    }
    picker.hidden = false;
    const element = picker.querySelector("[data-map]");
    const status = picker.querySelector("[data-map-status]");
    const map = window.CommonGroundMaps.create(element);
    if (!map) {
      return;
    }
    let marker = null;
    let circle = null;

    function typed() {
      const lat = parseFloat(latitude.value);
      const lng = parseFloat(longitude.value);
      if (isNaN(lat) || isNaN(lng) || lat < -90 || lat > 90 || lng < -180 || lng > 180) {
        return null;
      }
      return window.L.latLng(lat, lng);
    }

    function drawRadius(position) {
      const metres = radius ? parseInt(radius.value, 10) : NaN;
      if (circle) {
        circle.remove();
        circle = null;
      }
      if (position && !isNaN(metres) && metres > 0) {
        circle = window.L.circle(position, { radius: metres, color: "#b00020", weight: 2, fillOpacity: 0.1 });
        circle.addTo(map);
      }
    }

    function place(position) {
      if (!position) {
        return;
      }
      if (!marker) {
        marker = window.L.marker(position, {
          draggable: true,
          title: "The problem's location (drag to move)",
          icon: window.L.divIcon({ className: "map-pin", iconSize: [18, 18] }),
        }).addTo(map);
        marker.on("dragend", function () {
          write(marker.getLatLng());
        });
      } else {
        marker.setLatLng(position);
      }
      drawRadius(position);
    }

    function write(position) {
      latitude.value = position.lat.toFixed(6);
      longitude.value = position.lng.toFixed(6);
      place(position);
      status.textContent = "Location set to " + latitude.value + ", " + longitude.value + ".";
    }

    map.on("click", function (event) {
      write(event.latlng.wrap());
    });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("change", function () {
        const position = typed();
        if (position) {
          place(position);
          map.panTo(position);
        }
      });
    });
    if (radius) {
      radius.addEventListener("input", function () {
        drawRadius(marker ? marker.getLatLng() : null);
      });
    }
    const start = typed();
    if (start) {
      place(start);
      map.setView(start, 15);
    }
    element.dataset.mapReady = "true";
  });
})();
