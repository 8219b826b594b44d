// 6 Instances: the latest runtime metric values each service instance reported.
import { api } from "../api.js";
import { el, link, table, time, tracesHref } from "../ui.js";

export async function render(main, _arg, params) {
  const rows = await api("instances", { service: params.get("service") });
  // One table per instance: metric names differ between SDKs, so they stay rows.
  const groups = new Map();
  for (const r of rows) {
    const key = `${r.service}\u0000${r.instance ?? ""}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  main.append(el("h1", {}, "Instances"));
  if (groups.size === 0) main.append(el("p", { class: "empty" }, "No runtime metrics in this time range."));
  for (const metrics of groups.values()) {
    const { service, instance } = metrics[0];
    main.append(
      el("h2", {}, link(`#/service/${encodeURIComponent(service)}`, service), ` · ${instance ?? "(no instance id)"} · `,
        link(tracesHref({ service }), "traces")),
      table([
        ["Metric", (r) => r.name],
        ["Latest", (r) => `${Number(r.latest).toLocaleString()} ${r.unit || ""}`, { num: true }],
        ["At", (r) => time(r.latest_ns)],
        ["Points", (r) => r.points, { num: true }],
      ], metrics, "instance-metrics"),
    );
  }
}
