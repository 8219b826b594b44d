// 7 Database analysis: statements grouped by normalised text, with their slowest traces.
import { api } from "../api.js";
import { el, errorsHelp, link, ms, table } from "../ui.js";

export async function render(main, _arg, params) {
  const rows = await api("db_statements", { service: params.get("service") });
  main.append(el("h1", {}, "Database statements"), table([
    ["System", (r) => r.db_system ?? ""],
    ["Statement", (r) => el("code", {}, r.statement)],
    ["Calls", (r) => r.calls, { num: true }],
    ["Errors", (r) => r.errors, { num: true }],
    ["Avg", (r) => ms(r.avg_ns), { num: true }],
    ["p99", (r) => ms(r.p99_ns), { num: true }],
    ["Slowest", (r) => r.slowest_trace_ids.map((id) => el("div", {}, link(`#/trace/${id}`, id.slice(0, 12))))],
  ], rows, "statements"), errorsHelp());
}
