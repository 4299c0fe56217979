import { AccessLevelFlag, DataType, DataValue, makeEUInformation, standardUnits, StatusCodes, Variant, VariantArrayType } from "node-opcua";
import type { AddressSpace, EUInformation, Namespace, StatusCode, UAObject, UAVariable } from "node-opcua";
import type { ForecastSpec, MeasurementSpec } from "../catalogue.ts";

/**
 * The plant's address space: Objects/Plant/<equipment folders>/<variables>, each measurement at the node id the
 * catalogue gives (`ns=1;s=<name>`), read-only, as AnalogItems with engineering units and EURange (a client can
 * check the units it is about to trust against what it expects).
 */

/** Root folder under Objects; also the browse path prefix a client can look for. */
export const PLANT_FOLDER = "Plant";
export const FORECAST_START = "forecast.start";
export const FORECAST_STEP_S = "forecast.step_s";

// The OPC UA unit ids are UN/CEFACT common codes; chaleur's units that have one use it, the rest (currency per
// energy) carry unitId -1 as Part 8 says for units without a code.
const UNITS: Record<string, () => EUInformation> = {
  kW: () => standardUnits.kilowatt,
  "°C": () => standardUnits.degree_celsius,
  s: () => standardUnits.second,
  kWh: () => makeEUInformation("KWH", "kWh", "kilowatt hour"),
  "W/m²": () => makeEUInformation("D54", "W/m²", "watt per square metre"),
};

export function engineeringUnits(unit: string): EUInformation {
  const known = UNITS[unit];
  if (known) return known();
  const eu = makeEUInformation("", unit, unit);
  eu.unitId = -1;
  return eu;
}

// Without an explicit access level node-opcua makes variables writable by anyone with a session: a plant's
// measurements must never be writable by the controller (or anyone) over this server.
const READ_ONLY = AccessLevelFlag.CurrentRead;

export interface PlantNodes {
  measurements: Map<string, { spec: MeasurementSpec; node: UAVariable }>;
  forecasts: Map<string, { spec: ForecastSpec; node: UAVariable }>;
  /** Absent when the server serves no forecasts. */
  forecastStart?: UAVariable;
  forecastStepS?: UAVariable;
}

function folderFor(ns: Namespace, root: UAObject, cache: Map<string, UAObject>, path: readonly string[]): UAObject {
  let parent = root;
  for (let i = 0; i < path.length; i++) {
    const key = path.slice(0, i + 1).join("/");
    let f = cache.get(key);
    if (!f) {
      f = ns.addFolder(parent, { browseName: path[i]!, nodeId: `s=${PLANT_FOLDER}/${key}` });
      cache.set(key, f);
    }
    parent = f;
  }
  return parent;
}

/** A placeholder value, served with BadWaitingForInitialData so that no client takes it for a measurement. */
function placeholder(dataType: DataType.Boolean | DataType.Double | DataType.DateTime | DataType.UInt32): Variant {
  const value = dataType === DataType.Boolean ? false : dataType === DataType.DateTime ? new Date(0) : 0;
  return new Variant({ dataType, value });
}

export function buildPlantAddressSpace(addressSpace: AddressSpace, measurements: readonly MeasurementSpec[], forecasts: readonly ForecastSpec[]): PlantNodes {
  const ns = addressSpace.getOwnNamespace();
  const root = ns.addFolder(addressSpace.rootFolder.objects, { browseName: PLANT_FOLDER, nodeId: `s=${PLANT_FOLDER}` });
  const folders = new Map<string, UAObject>();
  const out: PlantNodes = { measurements: new Map(), forecasts: new Map() };

  for (const spec of measurements) {
    if (out.measurements.has(spec.name)) throw new Error(`measurement ${spec.name} appears twice in the catalogue`);
    const common = {
      organizedBy: folderFor(ns, root, folders, spec.folder),
      browseName: spec.browseName,
      nodeId: `s=${spec.name}`,
      description: spec.description,
      accessLevel: READ_ONLY,
      userAccessLevel: READ_ONLY,
      // 0: monitored items follow setValueFromSource events instead of polling on a timer
      minimumSamplingInterval: 0,
    };
    const node =
      spec.kind === "boolean"
        ? ns.addVariable({ ...common, dataType: "Boolean" })
        : ns.addAnalogDataItem({ ...common, dataType: "Double", engineeringUnitsRange: { low: spec.min, high: spec.max }, engineeringUnits: engineeringUnits(spec.unit) });
    node.setValueFromSource(placeholder(spec.kind === "boolean" ? DataType.Boolean : DataType.Double), StatusCodes.BadWaitingForInitialData);
    out.measurements.set(spec.name, { spec, node });
  }

  if (forecasts.length > 0) {
    const fFolder = folderFor(ns, root, folders, forecasts[0]!.folder);
    const scalar = (name: string, browseName: string, dataType: "DateTime" | "UInt32", description: string): UAVariable => {
      const v = ns.addVariable({ organizedBy: fFolder, browseName, nodeId: `s=${name}`, description, dataType, accessLevel: READ_ONLY, userAccessLevel: READ_ONLY, minimumSamplingInterval: 0 });
      v.setValueFromSource(placeholder(dataType === "DateTime" ? DataType.DateTime : DataType.UInt32), StatusCodes.BadWaitingForInitialData);
      return v;
    };
    out.forecastStart = scalar(FORECAST_START, "Start", "DateTime", "Time of the first value of every forecast array");
    out.forecastStepS = scalar(FORECAST_STEP_S, "StepSeconds", "UInt32", "Seconds between two values of a forecast array");
    for (const spec of forecasts) {
      const node = ns.addAnalogDataItem({
        organizedBy: folderFor(ns, root, folders, spec.folder),
        browseName: spec.browseName,
        nodeId: `s=${spec.name}`,
        description: `${spec.description} (one value per step from Start)`,
        dataType: "Double",
        valueRank: 1,
        arrayDimensions: [0],
        // AnalogItemType requires an EURange; a forecast's plausible range is the measurement's, which this
        // catalogue entry does not carry, so it states the Double range rather than inventing one.
        engineeringUnitsRange: { low: -Number.MAX_VALUE, high: Number.MAX_VALUE },
        engineeringUnits: engineeringUnits(spec.unit),
        accessLevel: READ_ONLY,
        userAccessLevel: READ_ONLY,
        minimumSamplingInterval: 0,
      });
      node.setValueFromSource(new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array(0) }), StatusCodes.BadWaitingForInitialData);
      out.forecasts.set(spec.name, { spec, node });
    }
  }
  return out;
}

/** What the plant simulator says about one measurement at one instant. */
export interface MeasurementUpdate {
  value: number | boolean;
  sourceMs: number;
  /** false: the sensor or its gateway reports a failure (the node's status becomes BadSensorFailure). */
  good?: boolean;
}

export function measurementVariant(spec: MeasurementSpec, value: number | boolean): Variant {
  if (spec.kind === "boolean") {
    if (typeof value !== "boolean") throw new TypeError(`measurement ${spec.name} is a boolean, got ${typeof value} ${String(value)}`);
    return new Variant({ dataType: DataType.Boolean, value });
  }
  if (typeof value !== "number") throw new TypeError(`measurement ${spec.name} is a number, got ${typeof value} ${String(value)}`);
  return new Variant({ dataType: DataType.Double, value });
}

export function setMeasurement(node: UAVariable, variant: Variant, sourceMs: number, good: boolean): void {
  const status: StatusCode = good ? StatusCodes.Good : StatusCodes.BadSensorFailure;
  node.setValueFromSource(variant, status, new Date(sourceMs));
}

/**
 * Serves a value whatever its type, bypassing node-opcua's check that a variant matches the variable's data type:
 * it imitates a misconfigured gateway (a String or Boolean where a Double is declared) so that the client's
 * defence against it can be tested on the wire.
 */
export function forceRawValue(node: UAVariable, variant: Variant, sourceMs: number, status: StatusCode = StatusCodes.Good): void {
  const dv = new DataValue({ value: variant, statusCode: status, sourceTimestamp: new Date(sourceMs), serverTimestamp: new Date() });
  (node as unknown as { _inner_replace_dataValue(dv: DataValue): void })._inner_replace_dataValue(dv);
}
