// Follows a background impact report: polls its progress endpoint every second and, when the
// file is ready, shows the download link. Without JavaScript the page's "Check again" link does
// the same by hand.
(function () {
  "use strict";
  function start() {
    const box = document.getElementById("report-run");
    if (!box) {
      return;
    }
    const bar = document.getElementById("report-progress");
    const step = document.getElementById("report-step");
    const status = document.getElementById("report-status");
    const download = document.getElementById("report-download");
    const refresh = document.getElementById("report-refresh");

    function poll() {
      fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (run) {
          bar.value = run.progress;
          bar.textContent = run.progress + "%";
          step.textContent = run.step || run.state_label;
          if (run.state === "done") {
            status.textContent = "The report is ready.";
            download.hidden = false;
            refresh.hidden = true;
          } else if (run.state === "failed") {
            status.textContent = run.error;
            refresh.hidden = true;
          } else {
            status.textContent = run.state_label + ": " + run.progress + "% done.";
            window.setTimeout(poll, 1000);
          }
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    if (download.hidden && refresh.hidden === false) {
      poll();
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
