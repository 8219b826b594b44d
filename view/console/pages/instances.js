// 6 Instances: per service instance, the RED of the requests it served and the
// latest runtime metric values it reported.
import { api } from "../api.js";
import { el, errorsHelp, instanceLabel, link, redColumns, table, time, tracesHref } from "../ui.js";

const keyOf = (r) => `${r.service}\u0000${r.instance ?? ""}`;

export async function render(main, _arg, params) {
  const service = params.get("service");
  const [metrics, red] = await Promise.all([api("instances", { service }), api("instances/red", { service })]);
  // One section per instance, whether it sent spans, metrics or both.
  const groups = new Map();
  for (const r of [...red, ...metrics]) {
    if (!groups.has(keyOf(r))) groups.set(keyOf(r), { service: r.service, instance: r.instance, host: null, pid: null, red: [], metrics: [] });
    const g = groups.get(keyOf(r));
    g.host ??= r.host_name; // spans' and metrics' resources are the same process's
    g.pid ??= r.process_pid;
  }
  for (const r of red) groups.get(keyOf(r)).red.push(r);
  for (const r of metrics) groups.get(keyOf(r)).metrics.push(r);
  main.append(el("h1", {}, "Instances"));
  if (groups.size === 0) main.append(el("p", { class: "empty" }, "No instance reported in this time range."));
  for (const g of groups.values()) {
    main.append(
      el("h2", {}, link(`#/service/${encodeURIComponent(g.service)}`, g.service), " · ", instanceLabel(g.instance, g.host, g.pid), " · ",
        link(tracesHref({ service: g.service }), "traces")),
      // Trace search has no instance filter: the figures lead to the service's requests.
      g.red.length ? table(redColumns(() => ({ service: g.service })), g.red, "instance-red") : el("p", { class: "empty" }, "No requests."),
      g.metrics.length ? table([
        ["Metric", (r) => r.name],
        ["Latest", (r) => `${Number(r.latest).toLocaleString()} ${r.unit || ""}`, { num: true }],
        ["At", (r) => time(r.latest_ns)],
        ["Points", (r) => r.points, { num: true }],
      ], g.metrics, "instance-metrics") : el("p", { class: "empty" }, "No runtime metrics."),
    );
  }
  if (red.length) main.append(errorsHelp());
}
