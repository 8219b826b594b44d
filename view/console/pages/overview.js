// 1 Overview: per service RED and instances, with per-minute charts.
import { api, windowMs } from "../api.js";
import { lineChart } from "../charts.js";
import { el, errorsHelp, link, minuteTraces, redColumns, table } from "../ui.js";

function perService(series, value) {
  const byService = new Map();
  for (const row of series) {
    if (!byService.has(row.service)) byService.set(row.service, []);
    byService.get(row.service).push([row.minute_ns / 1e6, value(row)]);
  }
  return [...byService].map(([name, points]) => ({ name, points }));
}

export async function render(main) {
  const { services, series } = await api("overview");
  const charts = [
    ["Requests per minute", (r) => r.requests, "", {}],
    ["Errors per minute", (r) => r.errors, "", { status: "error" }],
    ["p99 latency", (r) => r.p99_ns / 1e6, "ms", {}],
    ["Average latency", (r) => r.avg_ns / 1e6, "ms", {}],
  ].map(([title, value, unit, filters]) => ({ title, value, unit, filters, node: el("div", { class: "chart" }) }));
  main.append(
    el("h1", {}, "Overview"),
    table(
      [
        ["Service", (r) => link(`#/service/${encodeURIComponent(r.service)}`, r.service)],
        ...redColumns((r) => ({ service: r.service })),
        ["Instances", (r) => link("#/instances", r.instances), { num: true }],
        ["Downstream", (r) => link(`#/dependencies/${encodeURIComponent(r.service)}`, "dependencies")],
      ],
      services,
      "services",
    ),
    el("div", { class: "charts" }, charts.map((c) => c.node)),
    errorsHelp(),
  );
  // A point opens that minute's requests of its service.
  for (const c of charts) {
    lineChart(c.node, c.title, perService(series, c.value), windowMs(), c.unit, (service, minuteMs) => {
      location.hash = minuteTraces({ service, ...c.filters }, minuteMs);
    });
  }
}
