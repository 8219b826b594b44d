// 2 Topology: the service graph (Cytoscape.js), each edge with calls, error rate, latency.
import { api } from "../api.js";
import cytoscape from "../vendor/cytoscape.mjs";
import { el, errorsHelp, link, ms, pct, table, tracesHref } from "../ui.js";

const COLORS = { service: "#5aa0e6", database: "#f0ad4e", peer: "#999" };

function elements(edges) {
  const nodes = new Map();
  for (const e of edges) {
    if (!nodes.has(e.source)) nodes.set(e.source, "service");
    nodes.set(e.target, nodes.get(e.target) === "service" ? "service" : e.target_kind);
  }
  return [
    ...[...nodes].map(([id, kind]) => ({ data: { id, kind } })),
    ...edges.map((e) => ({
      data: {
        id: `${e.source}->${e.target}`, source: e.source, target: e.target, calls: e.calls, error_rate: e.error_rate,
        avg_ns: e.avg_ns, label: `${e.calls} calls · ${pct(e.error_rate)} err · ${ms(e.avg_ns)}`,
      },
    })),
  ];
}

export async function render(main) {
  const edges = await api("topology");
  const graph = el("div", { id: "graph" });
  main.append(el("h1", {}, "Topology"), graph, el("h2", {}, "Edges"), table([
    ["From", (e) => link(`#/service/${encodeURIComponent(e.source)}`, e.source)],
    ["To", (e) => (e.target_kind === "service" ? link(`#/service/${encodeURIComponent(e.target)}`, e.target) : e.target)],
    ["Kind", (e) => e.target_kind],
    ["Calls", (e) => link(tracesHref({ service: e.source }), e.calls), { num: true }],
    ["Error rate", (e) => link(tracesHref({ service: e.source, status: "error" }), pct(e.error_rate)), { num: true }],
    ["Avg", (e) => ms(e.avg_ns), { num: true }],
  ], edges, "edges"), errorsHelp());
  const cy = cytoscape({
    container: graph,
    elements: elements(edges),
    layout: { name: "breadthfirst", directed: true, spacingFactor: 1.8 },
    style: [
      { selector: "node", style: { label: "data(id)", "background-color": (n) => COLORS[n.data("kind")], "text-valign": "bottom" } },
      { selector: "edge", style: {
        label: "data(label)", "font-size": 10, "curve-style": "bezier", "target-arrow-shape": "triangle", width: 2,
        "line-color": (e) => (e.data("error_rate") > 0 ? "#d9534f" : "#8ab"), "text-rotation": "autorotate",
        "text-background-color": "#fff", "text-background-opacity": 0.85,
      } },
    ],
  });
  // Clicking a service opens it; clicking an edge opens the caller's requests.
  cy.on("tap", "node[kind = 'service']", (evt) => { location.hash = `#/service/${encodeURIComponent(evt.target.id())}`; });
  cy.on("tap", "edge", (evt) => { location.hash = tracesHref({ service: evt.target.data("source") }); });
  graph.cy = cy; // the browser tests read the graph's edges from here
}
