// Draws one bar chart per question on the survey results page, with Chart.js, from the data in
// <script id="survey-chart-data" type="application/json">. Each chart has a table below it with the
// same figures (its text alternative), so nothing is lost without JavaScript.
(function () {
  "use strict";

  function draw() {
    const source = document.getElementById("survey-chart-data");
    if (!source || typeof window.Chart === "undefined") {
      return;
    }
    JSON.parse(source.textContent).forEach(function (spec) {
      const canvas = document.getElementById(spec.id);
      if (!canvas) {
        return;
      }
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: spec.labels,
          datasets: [{ label: "Responses", data: spec.counts, backgroundColor: "#1d4f91" }],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
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
