// Draws the landscape's charts with the ECharts bundled with the platform (no network needed). The figures
// come from the page itself (json_script "landscape-data"), the same the tables show.
(function () {
  "use strict";
  const zh = (document.documentElement.lang || "zh-hans").startsWith("zh");
  const words = zh
    ? { patents: "专利数", possible: "可能属于" }
    : { patents: "patents", possible: "possibly" };
  const colours = ["#2f5597", "#c55a11", "#548235", "#7030a0", "#bf9000", "#0b5cad"];

  function shorten(text, n) { return text.length > n ? text.slice(0, n - 1) + "…" : text; }

  function bars(rows, extra) {
    const labels = rows.map((r) => r[0]).reverse();
    const option = {
      color: colours, animation: false, tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: extra ? 30 : 10, bottom: 10, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, axisLabel: { formatter: (v) => shorten(v, 18) } },
      series: [{ name: words.patents, type: "bar", data: rows.map((r) => r[1]).reverse(), label: { show: true, position: "right" } }],
    };
    if (extra) {
      option.legend = { data: [words.patents, words.possible] };
      option.series.push({ name: words.possible, type: "bar", data: rows.map((r) => r[2]).reverse(), itemStyle: { color: "#a5b4c8" } });
    }
    return option;
  }

  const build = {
    years: (d) => ({
      color: colours, animation: false, tooltip: { trigger: "axis" },
      grid: { left: 8, right: 20, top: 20, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: d.years.map((r) => String(r[0])) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ name: words.patents, type: "line", data: d.years.map((r) => r[1]), areaStyle: { opacity: 0.15 }, symbolSize: 5 }],
    }),
    ipc: (d) => {
      const option = bars(d.ipc);
      option.tooltip.formatter = (items) => {
        const row = d.ipc[d.ipc.length - 1 - items[0].dataIndex];
        return row[0] + (row[2] ? " " + row[2] : "") + "<br>" + words.patents + " " + row[1];
      };
      return option;
    },
    trend: (d) => ({
      color: colours, animation: false, tooltip: { trigger: "axis" },
      legend: { type: "scroll", data: d.trend.series.map((s) => s.name), formatter: (n) => shorten(n, 26) },
      grid: { left: 8, right: 20, top: 40, bottom: 10, containLabel: true },
      xAxis: { type: "category", data: d.trend.years.map(String) },
      yAxis: { type: "value", minInterval: 1 },
      series: d.trend.series.map((s) => ({ name: s.name, type: "line", data: s.data, symbolSize: 4 })),
    }),
    applicants: (d) => bars(d.applicants),
    industries: (d) => bars(d.industries, true),
  };

  document.addEventListener("DOMContentLoaded", () => {
    const source = document.getElementById("landscape-data");
    if (!source || typeof echarts === "undefined") return;
    const data = JSON.parse(source.textContent);
    document.querySelectorAll("[data-chart]").forEach((element) => {
      const kind = element.dataset.chart;
      const empty = kind === "trend" ? !data.trend.series.length : !(data[kind] || []).length;
      if (empty) {
        element.classList.add("empty");
        element.textContent = zh ? "范围内没有可绘制的数据" : "nothing to draw in this scope";
        return;
      }
      const chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption(build[kind](data));
      element.dataset.drawn = "1";
      window.addEventListener("resize", () => chart.resize());
    });
  });
})();
