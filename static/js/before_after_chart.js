// Draws the before/after line chart on a problem's page with Chart.js, from the data in
// <script id="before-after-data" type="application/json">. The tables below the chart give the same
// figures (its text alternative), so nothing is lost without JavaScript.
(function () {
  "use strict";

  const COLOURS = ["#1d4f91", "#a63d00", "#2e6b30"];

  function draw() {
    const source = document.getElementById("before-after-data");
    const canvas = document.getElementById("before-after-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (series, index) {
          return {
            label: series.label,
            data: series.counts,
            borderColor: COLOURS[index % COLOURS.length],
            backgroundColor: COLOURS[index % COLOURS.length],
            tension: 0,
          };
        }),
      },
      options: {
        responsive: true,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: {
          title: { display: true, text: "Response began: " + data.labels[data.afterIndex] },
        },
      },
    });
    canvas.dataset.drawn = "true";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
