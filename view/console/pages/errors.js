// 8 Error analysis: error spans grouped by type and endpoint, with sample traces.
import { api } from "../api.js";
import { el, link, table, tracesHref } from "../ui.js";

// Trace search finds requests: a request's error count links to those requests,
// an inner span's to its service's failed requests.
const searchOf = (r) => (r.kind === "SERVER" || r.kind === "CONSUMER"
  ? { service: r.service, endpoint: r.endpoint, status: "error" } : { service: r.service, status: "error" });

export async function render(main, _arg, params) {
  const rows = await api("errors", { service: params.get("service") });
  main.append(el("h1", {}, "Errors"), table([
    ["Service", (r) => link(`#/service/${encodeURIComponent(r.service)}`, r.service)],
    ["Error type", (r) => r.error_type],
    ["Endpoint", (r) => r.endpoint],
    ["Kind", (r) => r.kind],
    ["Count", (r) => link(tracesHref(searchOf(r)), r.count), { num: true }],
    ["Latest", (r) => link(`#/trace/${r.latest_trace_id}`, r.latest_trace_id.slice(0, 12))],
  ], rows, "errors"));
}
