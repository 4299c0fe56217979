// History: a chosen period of the recorded cycles — heat flows, temperatures, the store's energy and the price.

import { $, $$, fmtTime, parisLocalToMs, msToParisLocal } from "./util.js";
import { store, on, plantNow } from "./store.js";
import { hpIds, fetchHistory } from "./data.js";
import { Chart, C, lineSeries, timeAxis, valueAxis, legendAt } from "./charts.js";

const PRESETS = { "6h": 6, "24h": 24, "7d": 168 };
let heat;
let temps;
let energy;
let loadedOnce = false;
let busy = false;

export function initHistory() {
  heat = new Chart($("#history-heat"), 260);
  temps = new Chart($("#history-temps"), 200);
  energy = new Chart($("#history-energy"), 200);
  $("#history-form").addEventListener("submit", (e) => { e.preventDefault(); load(); });
  for (const b of $$("#history-presets button")) b.addEventListener("click", () => preset(b.dataset.preset, true));
  on("state", () => {
    if (!waiting) return;
    waiting = false;
    if (!$("#panel-history").hidden && !loadedOnce) preset("6h", true);
  });
}

let waiting = false;
export function showHistory(isVisible) {
  if (!isVisible || loadedOnce || !store.me) return;
  // the presets count back from the plant's time: wait for the first state to know it
  if (store.state) preset("6h", true);
  else waiting = true;
}

function preset(name, andLoad) {
  const h = PRESETS[name] ?? 6;
  const to = plantNow();
  $("#history-to").value = msToParisLocal(to + 60_000);
  $("#history-from").value = msToParisLocal(to - h * 3600_000);
  for (const b of $$("#history-presets button")) b.setAttribute("aria-pressed", String(b.dataset.preset === name));
  if (andLoad) load();
}

function status(text, isError = false) {
  const s = $("#history-status");
  s.textContent = text;
  s.classList.toggle("error", isError);
}

async function load() {
  if (busy) return;
  const from = parisLocalToMs($("#history-from").value);
  const to = parisLocalToMs($("#history-to").value);
  if (!Number.isFinite(from) || !Number.isFinite(to)) { status("Give a start and an end (Paris time).", true); return; }
  if (to <= from) { status("The end must come after the start.", true); return; }
  loadedOnce = true;
  busy = true;
  status("Loading…");
  const ids = hpIds();
  const hpCols = ids.map((id) => `${id}_heat_kw`);
  const cols = ["it_heat_kw", ...hpCols, "dh_sold_kw", "dump_kw", "gh_temp_c", "outdoor_temp_c", "fw_supply_temp_c", "storage_energy_kwh", "price_el_eur_mwh"];
  const width = Math.max(600, Math.floor($("#history-heat").clientWidth || 1200));
  let h;
  try {
    h = await fetchHistory(from, to, cols, Math.min(2000, width));
  } catch (e) {
    busy = false;
    if (e.status === 401) return;
    status(`No history: ${e.message}`, true);
    return;
  }
  busy = false;
  if (!h.count) {
    status(`Nothing recorded between ${fmtTime(from, { seconds: false })} and ${fmtTime(to, { seconds: false })}.`);
    heat.clear("No data in this period.");
    temps.clear();
    energy.clear();
    return;
  }
  status(`${h.count} points, ${fmtTime(h.x[0] * 1000, { seconds: false })} → ${fmtTime(h.x[h.x.length - 1] * 1000, { seconds: false })} (Paris time)`);
  const nulls = () => h.x.map(() => null);
  const sync = { key: "history" };
  const latest = legendAt((u) => u.data[0].length - 1);
  const scale0 = { y: { range: (u, min, max) => [Math.min(0, min ?? 0), Math.max(10, (max ?? 0) * 1.05)] } };

  const heatSeries = [{}, lineSeries("IT heat", C.it, "kW", { dash: [6, 4] })];
  const heatData = [h.x, h.series("it_heat_kw") ?? nulls()];
  ids.forEach((id, i) => {
    const s = h.series(`${id}_heat_kw`);
    if (s) { heatSeries.push(lineSeries(`${id} heat`, C.hp[i % C.hp.length], "kW")); heatData.push(s); }
  });
  heatSeries.push(lineSeries("sold to network", C.sold, "kW", { width: 2 }), lineSeries("dump", C.dump, "kW", { width: 2 }));
  heatData.push(h.series("dh_sold_kw") ?? nulls(), h.series("dump_kw") ?? nulls());
  heat.render({ series: heatSeries, scales: scale0, axes: [timeAxis(), valueAxis("kW")], cursor: { sync }, plugins: [latest] }, heatData);

  temps.render({
    series: [{}, lineSeries("greenhouse air", C.ghDirect, "°C", { width: 2 }), lineSeries("outdoor", C.temp1, "°C"),
      lineSeries("facility water supply", C.sold, "°C", { width: 2 })],
    axes: [timeAxis(), valueAxis("°C")], cursor: { sync }, plugins: [latest],
  }, [h.x, h.series("gh_temp_c") ?? nulls(), h.series("outdoor_temp_c") ?? nulls(), h.series("fw_supply_temp_c") ?? nulls()]);

  energy.render({
    series: [{}, lineSeries("store energy", C.charge, "kWh", { width: 2 }), lineSeries("electricity price", C.price, "€/MWh", { scale: "price" })],
    scales: { y: { range: (u, min, max) => [0, Math.max(100, (max ?? 0) * 1.1)] } },
    axes: [timeAxis(), valueAxis("kWh"), valueAxis("€/MWh", { side: 1, scale: "price", grid: false })],
    cursor: { sync }, plugins: [latest],
  }, [h.x, h.series("storage_energy_kwh") ?? nulls(), h.series("price_el_eur_mwh") ?? nulls()]);
}
