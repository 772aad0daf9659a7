// Follow an import job: poll its progress, move the bar, reload the page when the job has finished.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) return;
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var status = document.getElementById("job-status");
  var format = new Intl.NumberFormat(document.documentElement.lang || "zh-CN");
  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (p) {
        if (p.finished) { window.location.reload(); return; }
        var percent = p.total ? Math.floor((100 * p.done) / p.total) : 0;
        bar.style.width = percent + "%";
        bar.parentNode.setAttribute("aria-valuenow", percent);
        count.textContent = format.format(p.done) + " / " + format.format(p.total);
        status.textContent = p.status_label;
        window.setTimeout(poll, 700);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
