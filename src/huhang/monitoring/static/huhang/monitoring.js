// Draws the monthly trends of the indicators with the ECharts bundled with the platform (no network needed).
(function () {
  "use strict";
  const zh = (document.documentElement.lang || "zh-hans").startsWith("zh");
  const words = zh
    ? { value: "本期累计", target: "目标", history: "已公布数值" }
    : { value: "period to date", target: "target", history: "published" };

  function draw(element, data) {
    const chart = echarts.init(element, null, { renderer: "svg" });
    const full = element.dataset.full === "1";
    const series = [{
      name: words.value, type: "line", data: data.values, connectNulls: false, symbolSize: full ? 6 : 3,
      lineStyle: { width: full ? 2 : 1.5 }, itemStyle: { color: "#2f5597" },
      markLine: full ? { symbol: "none", label: { formatter: words.target + " {c}" },
        lineStyle: { type: "dashed", color: "#c55a11" }, data: [{ yAxis: data.target }] } : undefined,
    }];
    let categories = data.months;
    if (full && data.history.length) {
      categories = data.history.map((h) => h.period).concat(data.months);
      series[0].data = data.history.map(() => null).concat(data.values);
      series.push({
        name: words.history, type: "scatter", symbolSize: 9, itemStyle: { color: "#7f7f7f" },
        data: data.history.map((h) => h.value).concat(data.months.map(() => null)),
      });
    }
    chart.setOption({
      animation: false,
      grid: full ? { left: 60, right: 30, top: 40, bottom: 40 } : { left: 2, right: 2, top: 4, bottom: 4 },
      tooltip: { trigger: "axis" },
      legend: full ? { data: series.map((s) => s.name) } : undefined,
      xAxis: { type: "category", data: categories, show: full },
      yAxis: { type: "value", show: full, name: full ? data.unit : "" },
      series: series,
    });
    element.dataset.drawn = "1";
    window.addEventListener("resize", () => chart.resize());
  }

  function load(element) {
    fetch(element.dataset.trend, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => draw(element, data))
      .catch(() => { element.textContent = zh ? "趋势暂不可用" : "trend unavailable"; });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-trend]").forEach(load);
  });
})();
