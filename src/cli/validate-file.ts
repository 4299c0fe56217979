import { InputError } from "../config/errors.ts";
import { fileKind, parseYaml, readTextFile, validate } from "../config/load.ts";
import { resolveWire, wireSchema } from "../config/wire-config.ts";
import { modelFromData } from "../config/plant-model.ts";
import { describePlcMap, plcMapFromData } from "../config/plc-schema.ts";
import { loadScenario } from "../config/scenario.ts";
import { loadDaemonConfig } from "../config/daemon-config.ts";
import { caseCount, loadStudy } from "../study/study.ts";

/** Recognises what kind of chaleur file this is and validates it fully; returns a one-line summary. */
export function validateFile(file: string): string {
  const data = parseYaml(readTextFile(file), file);
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new InputError(file, "(top level)", "a mapping (a plant model, a scenario or a PLC register map)");
  const kind = fileKind(data);
  if (kind === "plant model") {
    const m = modelFromData(data, file);
    const parts = [`${m.heatPumps.length} heat pumps`, m.storage ? `store ${(m.storage.capacityKwh / 1000).toFixed(2)} MWh` : "no store", m.greenhouse ? `greenhouse ${m.greenhouse.spec.areaM2} m²` : "no greenhouse"];
    return `${file}: valid plant model '${m.name}' (${parts.join(", ")})`;
  }
  if (kind === "PLC register map") {
    const p = plcMapFromData(data, file);
    return `${file}: valid register map '${p.plc}' (${describePlcMap(p)})`;
  }
  if (kind === "wire config") {
    const w = resolveWire(validate(wireSchema, data, file), file);
    // The PLC maps it names must load too: a daemon config is only as good as the maps it points at.
    const maps = w.modbus.plcs.map((p) => plcMapFromData(parseYaml(readTextFile(p.mapFile), p.mapFile), p.mapFile));
    return `${file}: valid wire config (${w.opcua.tags.length} tags from ${w.opcua.endpoint}, ${w.opcua.securityMode}; PLCs ${maps.map((m) => m.plc).join(", ")})`;
  }
  if (kind === "daemon config") {
    const d = loadDaemonConfig(file);
    const w = d.wire;
    return `${file}: valid daemon config ('${d.model.name}'; ${w.opcua.tags.length} tags from ${w.opcua.endpoint}, ${w.opcua.securityMode}; PLCs ${d.maps.map((m) => m.plc).join(", ")}, limits agree with the model; I/O every ${d.control.ioPeriodS} s, re-plan every ${d.control.replanS / 60} min; history ${d.history.file}, raw ${d.history.rawDays} d, means ${d.history.meansDays} d${d.forecastSources.dropFolder ? `; drop folder ${d.forecastSources.dropFolder}` : ""}; HTTP ${d.http.host}:${d.http.port})`;
  }
  if (kind === "scenario") {
    const s = loadScenario(file);
    const days = (s.endMs - s.startMs) / 86_400_000;
    return `${file}: valid scenario '${s.name}' (${days} days on '${s.model.name}', ${s.events.length} events)`;
  }
  if (kind === "study") {
    const st = loadStudy(file);
    return `${file}: valid study '${st.name}' (${caseCount(st).toLocaleString("en")} cases: ${st.axes.map((a) => `${a.values.length} ${a.path}`).join(" × ")} × ${st.controllers.join(", ")}, on ${st.scenarioFile})`;
  }
  throw new InputError(file, "(top level)", "a plant model (with facility_water, heat_pumps, …), a scenario (with model, start, duration), a PLC register map (with plc, unit_id, registers), a wire config (with opcua, modbus), a daemon config (a wire config with model) or a study (with scenario, axes)");
}
