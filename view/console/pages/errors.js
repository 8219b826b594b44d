// 8 Error analysis: error spans grouped by type and endpoint, with sample traces,
// and their count per minute.
import { api, windowMs } from "../api.js";
import { lineChart } from "../charts.js";
import { el, errorsHelp, link, minuteTraces, table, tracesHref } from "../ui.js";

// Trace search finds requests: a request's error count links to those requests,
// an inner span's to its service's failed requests.
const searchOf = (r) => (r.kind === "SERVER" || r.kind === "CONSUMER"
  ? { service: r.service, endpoint: r.endpoint, status: "error" } : { service: r.service, status: "error" });

function perType(series) {
  const lines = new Map();
  for (const row of series) {
    const name = `${row.service} · ${row.error_type}`;
    if (!lines.has(name)) lines.set(name, []);
    lines.get(name).push([row.minute_ns / 1e6, row.count]);
  }
  return [...lines].map(([name, points]) => ({ name, points }));
}

export async function render(main, _arg, params) {
  const service = params.get("service");
  const [rows, series] = await Promise.all([api("errors", { service }), api("errors/series", { service })]);
  const chart = el("div", { class: "chart" });
  main.append(el("h1", {}, "Errors"), chart, table([
    ["Service", (r) => link(`#/service/${encodeURIComponent(r.service)}`, r.service)],
    ["Error type", (r) => r.error_type],
    ["Endpoint", (r) => r.endpoint],
    ["Kind", (r) => r.kind],
    ["Count", (r) => link(tracesHref(searchOf(r)), r.count), { num: true }],
    ["Latest", (r) => link(`#/trace/${r.latest_trace_id}`, r.latest_trace_id.slice(0, 12))],
  ], rows, "errors"), errorsHelp());
  // A point opens that minute's failed requests of the series' service.
  lineChart(chart, "Errors per minute", perType(series), windowMs(), "", (name, minuteMs) => {
    location.hash = minuteTraces({ service: name.split(" · ")[0], status: "error" }, minuteMs);
  });
}
