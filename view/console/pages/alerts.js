// 10 Alerts: rules with their current state and value, recent state changes, and a
// form to add one. The server evaluates them every few seconds and calls the webhooks.
import { api, send } from "../api.js";
import { el, table, time } from "../ui.js";

const figure = (v) => (v === null || v === undefined ? "–" : Number(v.toFixed(4)).toString());

export async function render(main) {
  const [{ rules, metrics }, events] = await Promise.all([api("alerts"), api("alerts/events", { limit: 50 })]);
  const rerender = () => window.dispatchEvent(new HashChangeEvent("hashchange"));
  const remove = (r) => el("button", { onclick: async () => { await send("DELETE", `alerts/${r.id}`); rerender(); } }, "Delete");
  const input = (name, attrs = {}) => el("input", { name, ...attrs });
  const metric = el("select", { name: "metric" }, Object.entries(metrics).map(([k, doc]) => el("option", { value: k, title: doc }, k)));
  const status = el("p", { class: "error" });
  const form = el("form", { class: "search", "data-testid": "alert-form", onsubmit: async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    try {
      await send("POST", "alerts", { ...data, threshold: Number(data.threshold) });
      rerender();
    } catch (err) {
      status.textContent = err.message;
    }
  } },
  el("label", {}, "Name ", input("name")), el("label", {}, "Metric ", metric),
  el("label", {}, "Service ", input("service", { required: "" })), el("label", {}, "Endpoint ", input("endpoint")),
  el("label", {}, "Above ", input("threshold", { type: "number", step: "any", required: "" })),
  el("label", {}, "Window ", input("window", { value: "5m" })), el("label", {}, "Webhook ", input("webhook", { type: "url" })),
  el("button", { type: "submit" }, "Add rule"));
  main.append(el("h1", {}, "Alerts"), table([
    ["Rule", (r) => r.name],
    ["State", (r) => el("span", { class: `state-${r.state}` }, r.state)],
    ["Value", (r) => figure(r.value), { num: true }],
    ["Threshold", (r) => `${r.metric} > ${r.threshold}`],
    ["Scope", (r) => (r.endpoint ? `${r.service} ${r.endpoint}` : r.service)],
    ["Window", (r) => `${r.window_s} s`, { num: true }],
    ["", remove],
  ], rules, "alert-rules"), form, status, el("h2", {}, "Recent events"), table([
    ["At", (e) => time(e.time_ns)],
    ["Rule", (e) => e.rule_name],
    ["State", (e) => el("span", { class: `state-${e.state}` }, e.state)],
    ["Value", (e) => figure(e.value), { num: true }],
    ["Threshold", (e) => e.threshold, { num: true }],
  ], events, "alert-events"));
}
