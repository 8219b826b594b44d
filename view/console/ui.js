// DOM helpers shared by the pages: elements, tables, number formats, links.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

export const ms = (ns) => (ns === null || ns === undefined ? "–" : `${(ns / 1e6).toFixed(2)} ms`);
export const pct = (rate) => `${(rate * 100).toFixed(1)}%`;
export const time = (ns) => new Date(ns / 1e6).toLocaleString();

// Every figure leads to the requests behind it: a trace search with these filters.
export function tracesHref(filters) {
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v !== undefined && v !== null && v !== ""));
  return `#/traces?${query}`;
}

export const link = (href, text) => el("a", { href }, String(text));

// An instance as people know it, host and pid; its service.instance.id (a UUID per
// process run) on hover, or shown when the host and pid are not known.
export function instanceLabel(instance, host, pid) {
  const known = [host, pid === null || pid === undefined ? null : `pid ${pid}`].filter(Boolean);
  const text = known.length ? known.join(" · ") : instance ?? "(no instance id)";
  return el("span", { class: "instance", "data-testid": "instance", title: instance ?? "" }, text);
}

// What every page's error figures count: the server's span_is_error macro (view/queries.py), in words.
export const ERRORS_HELP = "An error, as OpenTelemetry defines it: a SERVER span that answered 5xx (without an HTTP status: " +
  "one with status ERROR); a CLIENT span that got a 4xx or 5xx, or has status ERROR; any other span with status ERROR. " +
  "Requests are a service's SERVER and CONSUMER spans, calls its CLIENT spans: a 404 counts against the caller, " +
  "not against the server that answered it.";
export const errorsHelp = () => el("p", { class: "help", "data-testid": "errors-help" }, ERRORS_HELP);

// Nanoseconds since the epoch exceed a double's exact range: they travel as strings.
export const msToNs = (ms) => String(BigInt(Math.round(ms)) * 1000000n);
export const nsToMs = (ns) => Number(BigInt(ns) / 1000000n);

// The trace search for one minute of a per-minute chart.
export function minuteTraces(filters, minuteMs) {
  return tracesHref({ ...filters, since_ns: msToNs(minuteMs), until_ns: msToNs(minuteMs + 60_000) });
}

// columns: [header, row => cell content, {num: true}?]; rows: API objects.
export function table(columns, rows, testid) {
  if (rows.length === 0) return el("p", { class: "empty" }, "Nothing in this time range.");
  return el(
    "table",
    testid ? { "data-testid": testid } : {},
    el("thead", {}, el("tr", {}, columns.map(([h]) => el("th", {}, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map(([, cell, opt]) => el("td", opt?.num ? { class: "num" } : {}, cell(r)))))),
  );
}

// The four RED columns of a row, each linked to the matching trace search.
export function redColumns(filtersOf, count = "requests") {
  return [
    [count === "requests" ? "Requests" : "Calls", (r) => link(tracesHref(filtersOf(r)), r[count]), { num: true }],
    ["Errors", (r) => link(tracesHref({ ...filtersOf(r), status: "error" }), r.errors), { num: true }],
    ["Avg", (r) => link(tracesHref(filtersOf(r)), ms(r.avg_ns)), { num: true }],
    ["p99", (r) => link(tracesHref({ ...filtersOf(r), min_duration_ns: Math.floor(r.p99_ns) }), ms(r.p99_ns)), { num: true }],
  ];
}
