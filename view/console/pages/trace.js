// A trace's waterfall: every span in start order, indented under its parent, with
// its attributes, events and resource.
import { api } from "../api.js";
import { el, instanceLabel, ms } from "../ui.js";

// Depth of each span; a span whose parent is missing (not received) starts a new root.
function depths(spans) {
  const byId = new Map(spans.map((s) => [s.span_id, s]));
  const depth = new Map();
  const of = (s) => {
    if (!depth.has(s.span_id)) {
      const parent = s.parent_span_id && byId.get(s.parent_span_id);
      depth.set(s.span_id, 0); // a guard against parent cycles in malformed data
      depth.set(s.span_id, parent ? of(parent) + 1 : 0);
    }
    return depth.get(s.span_id);
  };
  return new Map(spans.map((s) => [s.span_id, of(s)]));
}

const pairs = (title, obj) => el("div", {}, el("strong", {}, title),
  el("table", {}, Object.entries(obj).map(([k, v]) => el("tr", {}, el("td", {}, el("code", {}, k)), el("td", {}, JSON.stringify(v))))));

function details(span) {
  return el("details", {},
    el("summary", {}, `${span.kind} · ${span.status}${span.status_message ? `: ${span.status_message}` : ""} · `,
      span.instance ? instanceLabel(span.instance, span.resource["host.name"], span.resource["process.pid"]) : ""),
    pairs("Attributes", span.attributes),
    span.events.length ? el("div", {}, el("strong", {}, "Events"), span.events.map((e) => pairs(e.name, e.attributes || {}))) : null,
    pairs("Resource", span.resource));
}

export async function render(main, traceId) {
  const spans = await api("trace", { trace_id: traceId });
  main.append(el("h1", {}, `Trace ${traceId}`));
  if (spans.length === 0) {
    main.append(el("p", { class: "empty" }, "No spans of this trace are stored."));
    return;
  }
  const t0 = Math.min(...spans.map((s) => s.start_ns));
  const total = Math.max(...spans.map((s) => s.start_ns + s.duration_ns)) - t0 || 1;
  const depth = depths(spans);
  main.append(el("p", {}, `${spans.length} spans, ${ms(total)}`), el("div", { class: "waterfall", "data-testid": "waterfall" },
    spans.map((s) => el("div", { class: "row", "data-span-id": s.span_id },
      el("div", { style: `padding-left: ${depth.get(s.span_id) * 1.2}em` }, el("strong", {}, s.service), ` ${s.name}`),
      el("div", { class: "bar-track" }, el("div", {
        class: s.error ? "bar err" : "bar",
        style: `left: ${((s.start_ns - t0) / total) * 100}%; width: ${(s.duration_ns / total) * 100}%`,
      })),
      el("div", { class: "num" }, ms(s.duration_ns)),
      details(s)))));
}
