// 5 Traces: search requests by service, endpoint, status, minimum duration and time:
// the shared range, or a From/To window (which charts' points also open).
import { api } from "../api.js";
import { el, errorsHelp, link, ms, msToNs, nsToMs, table, time, tracesHref } from "../ui.js";

const FIELDS = ["service", "endpoint", "status", "min_duration_ns", "since_ns", "until_ns"];

// <input type=datetime-local> speaks local wall-clock time, minutes.
function localInput(ns) {
  if (!ns) return "";
  const d = new Date(nsToMs(ns));
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}
const inputNs = (value) => (value ? msToNs(new Date(value).getTime()) : "");

function searchForm(params) {
  const input = (name, label) => el("label", {}, `${label} `, el("input", { name, value: params.get(name) || "" }));
  const status = el("select", { name: "status" }, ["", "error", "ok"].map((v) => el("option", { value: v }, v || "any")));
  status.value = params.get("status") || "";
  const minMs = params.get("min_duration_ns") ? String(Number(params.get("min_duration_ns")) / 1e6) : "";
  const form = el("form", { class: "search" },
    input("service", "Service"), input("endpoint", "Endpoint"), el("label", {}, "Status ", status),
    el("label", {}, "Min duration (ms) ", el("input", { name: "min_ms", value: minMs, size: 6 })),
    el("label", {}, "From ", el("input", { type: "datetime-local", name: "since", value: localInput(params.get("since_ns")) })),
    el("label", {}, "To ", el("input", { type: "datetime-local", name: "until", value: localInput(params.get("until_ns")) })),
    el("button", { type: "submit" }, "Search"));
  form.addEventListener("submit", (evt) => {
    evt.preventDefault();
    const data = new FormData(form);
    const minNs = data.get("min_ms") ? Math.round(Number(data.get("min_ms")) * 1e6) : "";
    location.hash = tracesHref({
      service: data.get("service"), endpoint: data.get("endpoint"), status: data.get("status"), min_duration_ns: minNs,
      since_ns: inputNs(data.get("since")), until_ns: inputNs(data.get("until")),
    });
  });
  return form;
}

export async function render(main, _arg, params) {
  const filters = Object.fromEntries(FIELDS.map((f) => [f, params.get(f)]));
  const hits = await api("traces", { ...filters, limit: 200 });
  main.append(
    el("h1", {}, "Traces"),
    searchForm(params),
    el("p", {}, `${hits.length} request(s)`),
    table([
      ["Start", (t) => link(`#/trace/${t.trace_id}`, time(t.start_ns))],
      ["Service", (t) => t.service],
      ["Endpoint", (t) => t.endpoint],
      ["Duration", (t) => ms(t.duration_ns), { num: true }],
      ["Status", (t) => el("span", t.error ? { class: "error" } : {}, t.status)],
      ["HTTP", (t) => t.http_status ?? ""],
      ["Spans", (t) => t.spans, { num: true }],
      ["Trace", (t) => link(`#/trace/${t.trace_id}`, t.trace_id.slice(0, 12))],
    ], hits, "traces"),
    errorsHelp(),
  );
}
