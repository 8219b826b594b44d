// 4 Dependencies: each downstream of one service (databases, RPC services, hosts) with RED.
import { api } from "../api.js";
import { barChart } from "../charts.js";
import { el, errorsHelp, link, redColumns, table } from "../ui.js";

export async function render(main, service) {
  const peers = await api("dependencies", { service });
  const chart = el("div", { class: "chart" });
  main.append(
    el("h1", {}, `Dependencies of ${service}`),
    el("p", {}, link(`#/service/${encodeURIComponent(service)}`, "Provided endpoints")),
    table([
      ["Downstream", (r) => (r.target_kind === "service" ? link(`#/service/${encodeURIComponent(r.peer)}`, r.peer) : r.peer)],
      ["Kind", (r) => (r.target_kind === "service" ? "service" : r.db_system ? `database (${r.db_system})` : r.rpc_service ? "RPC" : "host")],
      // Trace search finds requests, so a call leads to the caller's requests.
      ...redColumns(() => ({ service })),
    ], peers, "dependencies"),
    chart,
    errorsHelp(),
  );
  barChart(chart, "Latency per downstream", peers.map((r) => r.peer), [
    { name: "avg", values: peers.map((r) => r.avg_ns / 1e6) },
    { name: "p99", values: peers.map((r) => r.p99_ns / 1e6) },
  ], "ms");
}
