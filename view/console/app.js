// Hash router and layout: #/<page>[/<arg>][?query]. Each page module exports
// render(main, arg, params) and fills <main> from the API.
import { RANGES, range, setRange } from "./api.js";
import { el } from "./ui.js";

const PAGES = {
  overview: "./pages/overview.js",
  topology: "./pages/topology.js",
  service: "./pages/service.js",
  dependencies: "./pages/dependencies.js",
  traces: "./pages/traces.js",
  trace: "./pages/trace.js",
  instances: "./pages/instances.js",
  db: "./pages/db.js",
  errors: "./pages/errors.js",
  config: "./pages/config.js",
  alerts: "./pages/alerts.js",
};
const NAV = [["overview", "Overview"], ["topology", "Topology"], ["traces", "Traces"],
  ["instances", "Instances"], ["db", "Database"], ["errors", "Errors"], ["config", "Configuration"], ["alerts", "Alerts"]];

// Pages that only show figures; forms (config, alerts) and a trace are left as they are.
const LIVE_PAGES = new Set(["overview", "topology", "service", "dependencies", "traces", "instances", "db", "errors"]);
const LIVE_MS = 10000;
const LIVE_KEY = "rulec.autoRefresh";

let current = 0; // the latest navigation; a slower earlier render must not overwrite it

function parseHash() {
  const [path, query = ""] = location.hash.replace(/^#\/?/, "").split("?");
  const [page, ...rest] = path.split("/");
  return { page: PAGES[page] ? page : "overview", arg: decodeURIComponent(rest.join("/")), params: new URLSearchParams(query) };
}

async function show() {
  const token = ++current;
  const scrolled = window.scrollY;
  const { page, arg, params } = parseHash();
  for (const a of document.querySelectorAll("#nav a")) a.classList.toggle("active", a.dataset.page === page);
  // A fresh <main>, in the document before rendering: charts and the graph measure it.
  const main = el("main", { id: "page" });
  document.getElementById("page").replaceWith(main);
  try {
    const module = await import(PAGES[page]);
    await module.render(main, arg, params);
  } catch (err) {
    main.replaceChildren(el("p", { class: "error" }, `Could not load this page: ${err.message}`));
  }
  // Tests and screenshots wait for this mark: the page has its data.
  if (token === current) {
    main.dataset.ready = page;
    if (refreshing) window.scrollTo(0, scrolled);
  }
}

let refreshing = false;

async function refresh() {
  const live = document.getElementById("live").checked;
  if (!live || document.hidden || !LIVE_PAGES.has(parseHash().page)) return;
  refreshing = true;
  try {
    await show();
  } finally {
    refreshing = false;
  }
}

function layout() {
  document.getElementById("nav").append(...NAV.map(([page, label]) => el("a", { href: `#/${page}`, "data-page": page }, label)));
  const select = document.getElementById("range");
  select.append(...RANGES.map((r) => el("option", { value: r }, `last ${r}`)));
  select.value = range();
  select.addEventListener("change", () => {
    setRange(select.value);
    show();
  });
  const live = document.getElementById("live");
  live.checked = localStorage.getItem(LIVE_KEY) === "on";
  live.addEventListener("change", () => localStorage.setItem(LIVE_KEY, live.checked ? "on" : "off"));
  setInterval(refresh, LIVE_MS);
}

layout();
window.addEventListener("hashchange", show);
show();
