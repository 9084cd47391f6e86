// Draws the impact report's charts with Chart.js from the data the page carries in
// <script id="impact-chart-data" type="application/json">. Each chart has a table beside it with
// the same figures, so nothing is lost without JavaScript.
(function () {
  "use strict";
  const COLOURS = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457"];

  function draw() {
    const source = document.getElementById("impact-chart-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    const charts = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-impact-chart]").forEach(function (canvas) {
      const spec = charts[canvas.dataset.impactChart];
      if (!spec) {
        return;
      }
      new window.Chart(canvas, {
        type: spec.type || "bar",
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (dataset, index) {
            return Object.assign({ backgroundColor: COLOURS[index % COLOURS.length] }, dataset);
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { y: { beginAtZero: true } },
        },
      });
      canvas.dataset.drawn = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
