// 9 Configuration: each service's live sampling ratio and plugin switches, which
// its instances fetch from /config/NAME (RULEC_CONFIG_URL) within a poll interval.
import { api, send } from "../api.js";
import { el, link, table } from "../ui.js";

const ratioText = (doc) => (doc.sampling ? String(doc.sampling.ratio) : "as started");
const offText = (doc) => (doc.plugins ? doc.plugins.disabled.join(", ") || "none" : "as started");

export async function render(main, arg) {
  if (!arg) {
    const { services } = await api("config");
    main.append(el("h1", {}, "Configuration"), table([
      ["Service", (r) => link(`#/config/${encodeURIComponent(r.service)}`, r.service)],
      ["Sampling ratio", ratioText, { num: true }],
      ["Plugins off", offText],
    ], services, "config-services"));
    return;
  }
  const doc = await api("config", { service: arg });
  const ratio = el("input", { name: "ratio", type: "number", min: "0", max: "1", step: "any", placeholder: "as started" });
  if (doc.sampling) ratio.value = doc.sampling.ratio;
  // Unchecked = disabled; "as started" stays until the first save.
  const off = new Set(doc.plugins?.disabled ?? []);
  const boxes = doc.known_plugins.map((name) => {
    const box = el("input", { type: "checkbox", name: "plugin", value: name });
    box.checked = !off.has(name);
    return el("label", { class: "plugin" }, box, ` ${name}`);
  });
  const status = el("p", { "data-testid": "config-status" });
  const form = el("form", { class: "config", onsubmit: async (event) => {
    event.preventDefault();
    const body = { plugins: { disabled: [...form.querySelectorAll("input[name=plugin]:not(:checked)")].map((b) => b.value) } };
    if (ratio.value !== "") body.sampling = { ratio: Number(ratio.value) };
    try {
      await send("PUT", `config?service=${encodeURIComponent(arg)}`, body);
      status.className = "";
      status.textContent = "Saved.";
    } catch (err) {
      status.className = "error";
      status.textContent = err.message;
    }
  } },
  el("label", {}, "Sampling ratio (0 to 1, empty: as started) ", ratio),
  el("fieldset", {}, el("legend", {}, "Plugins (unchecked: switched off)"), boxes),
  el("button", { type: "submit" }, "Save"));
  const url = `${location.origin}/config/${encodeURIComponent(arg)}`;
  main.append(el("h1", {}, `Configuration · ${arg}`),
    el("p", {}, "Instances started with ", el("code", {}, `RULEC_CONFIG_URL=${url}`), " pick changes up without a restart."),
    form, status);
}
