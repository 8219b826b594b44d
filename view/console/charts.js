// ECharts, from the vendor/ bundle build.sh makes.
import * as echarts from "./vendor/echarts.mjs";

// A time-series line chart over [sinceMs, untilMs]: series is [{name, points: [[ms, value], ...]}].
// onPoint(seriesName, ms), if given, runs when a point is clicked.
export function lineChart(container, title, series, [sinceMs, untilMs], unit = "", onPoint = null) {
  const chart = echarts.init(container);
  chart.setOption({
    animation: false,
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" },
    legend: { top: 22, type: "scroll" },
    grid: { top: 60, left: 60, right: 20, bottom: 30 },
    xAxis: { type: "time", min: sinceMs, max: untilMs },
    yAxis: { type: "value", name: unit },
    series: series.map((s) => ({ name: s.name, type: "line", showSymbol: true, data: s.points })),
  });
  if (onPoint) chart.on("click", (p) => onPoint(p.seriesName, p.value[0]));
  return chart;
}

// A grouped bar chart: categories on x, one bar per series.
export function barChart(container, title, categories, series, unit = "") {
  const chart = echarts.init(container);
  chart.setOption({
    animation: false,
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: "axis" },
    legend: { top: 22 },
    grid: { top: 60, left: 60, right: 20, bottom: 40 },
    xAxis: { type: "category", data: categories },
    yAxis: { type: "value", name: unit },
    series: series.map((s) => ({ name: s.name, type: "bar", data: s.values })),
  });
  return chart;
}
