// The JSON API under /api and the time range every page shares.
const MINUTES = { "15m": 15, "1h": 60, "24h": 1440 };
export const RANGES = Object.keys(MINUTES);
const KEY = "rulec-view-range";

export function range() {
  const saved = localStorage.getItem(KEY);
  return RANGES.includes(saved) ? saved : "1h";
}

export function setRange(value) {
  localStorage.setItem(KEY, value);
}

// The shared range as [since, until] in Unix milliseconds, for chart axes.
export function windowMs() {
  const now = Date.now();
  return [now - MINUTES[range()] * 60_000, now];
}

// GET /api/<path> with the shared time range; throws with the API's error text.
export async function api(path, params = {}) {
  const query = new URLSearchParams({ last: range() });
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") query.set(k, v);
  }
  const resp = await fetch(`/api/${path}?${query}`);
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error || resp.statusText);
  return body;
}

// PUT, POST or DELETE /api/<path> with a JSON body; throws with the API's error text.
export async function send(method, path, body) {
  const resp = await fetch(`/api/${path}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await resp.json();
  if (!resp.ok) throw new Error(answer.error || resp.statusText);
  return answer;
}
