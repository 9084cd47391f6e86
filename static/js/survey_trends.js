// Draws the trust-and-confidence trend (average net agreement per round, one line per
// neighbourhood) from <script id="survey-trend-data" type="application/json">. The tables on the
// page give every figure, item by item.
(function () {
  "use strict";
  const COLOURS = ["#1d4f91", "#b35900", "#2e7d32", "#6a1b9a", "#00695c", "#ad1457"];

  function draw() {
    const source = document.getElementById("survey-trend-data");
    const canvas = document.getElementById("trend-chart");
    if (!source || !canvas || typeof window.Chart === "undefined") {
      return;
    }
    const data = JSON.parse(source.textContent);
    const dates = Array.from(
      new Set(data.series.flatMap(function (s) { return s.points.map(function (p) { return p.x; }); }))
    ).sort();
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: dates,
        datasets: data.series.map(function (series, index) {
          const byDate = Object.fromEntries(series.points.map(function (p) { return [p.x, p.y]; }));
          return {
            label: series.label,
            data: dates.map(function (d) { return d in byDate ? byDate[d] : null; }),
            borderColor: COLOURS[index % COLOURS.length],
            backgroundColor: COLOURS[index % COLOURS.length],
            spanGaps: true,
          };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { suggestedMin: -100, suggestedMax: 100, title: { display: true, text: "Net agreement (%)" } } },
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
