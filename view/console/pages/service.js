// 3 Provided services: each endpoint of one service with RED and a latency chart.
import { api } from "../api.js";
import { barChart } from "../charts.js";
import { el, errorsHelp, link, redColumns, table } from "../ui.js";

export async function render(main, service) {
  const endpoints = await api("endpoints", { service });
  const chart = el("div", { class: "chart" });
  main.append(
    el("h1", {}, `Service ${service}`),
    el("p", {}, link(`#/dependencies/${encodeURIComponent(service)}`, "Dependencies"), " · ",
      link(`#/errors?service=${encodeURIComponent(service)}`, "Errors")),
    table([["Endpoint", (r) => r.endpoint], ...redColumns((r) => ({ service, endpoint: r.endpoint }))], endpoints, "endpoints"),
    chart,
    errorsHelp(),
  );
  barChart(chart, "Latency per endpoint", endpoints.map((r) => r.endpoint), [
    { name: "avg", values: endpoints.map((r) => r.avg_ns / 1e6) },
    { name: "p99", values: endpoints.map((r) => r.p99_ns / 1e6) },
  ], "ms");
}
