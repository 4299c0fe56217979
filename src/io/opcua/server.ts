import { timingSafeEqual, createHash } from "node:crypto";
import { freePort } from "../free-port.ts";
import { join } from "node:path";
import { DataType, OPCUAServer, SecurityPolicy, StatusCodes, Variant, VariantArrayType } from "node-opcua";
import type { ForecastSpec, MeasurementSpec } from "../catalogue.ts";
import { buildPlantAddressSpace, forceRawValue, measurementVariant, setMeasurement, type MeasurementUpdate, type PlantNodes } from "./plant-address-space.ts";
import { makeCertificateManager, trustCertificateFiles } from "./pki.ts";
import { type SecurityModeName, type SecurityPolicyName, SECURITY_MODES, SECURITY_POLICIES } from "./security.ts";

export type { MeasurementUpdate } from "./plant-address-space.ts";

/** The plant simulator's OPC UA server (what a real plant's SCADA gateway would be). */
export interface OpcuaServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /** Certificates live under `<dataDir>/pki` (own certificate, trusted/ and rejected/ client certificates). */
  dataDir: string;
  measurements: readonly MeasurementSpec[];
  forecasts?: readonly ForecastSpec[];
  /** Default: all three. "None" serves an unsecured endpoint (users still need a password unless allowAnonymous). */
  securityModes?: readonly SecurityModeName[];
  /** Policies for the Sign and SignAndEncrypt endpoints. Default: Basic256Sha256. */
  securityPolicies?: readonly Exclude<SecurityPolicyName, "None">[];
  allowAnonymous?: boolean;
  users?: readonly { username: string; password: string }[];
  /** Trust every client certificate on first sight. For a demo only: it is no access control at all. */
  autoAcceptCertificates?: boolean;
}

export interface ForecastUpdate {
  startMs: number;
  stepS: number;
  series: Record<string, readonly number[]>;
}

export interface OpcuaPlantServer {
  /** URL to connect to from this machine (the server advertises its hostname, clients should not need DNS). */
  endpointUrl: string;
  /** URL as the server advertises it in its endpoint descriptions. */
  advertisedEndpointUrl: string;
  port: number;
  /** The server's certificate (PEM), for a client's trust list. */
  certificateFile: string;
  update(values: ReadonlyMap<string, MeasurementUpdate>): void;
  updateForecasts(f: ForecastUpdate): void;
  /** Adds a client's certificate (PEM or DER file) to the server's trust list. */
  trustCertificate(file: string): Promise<void>;
  /** Test hook: serves any variant at a measurement's node, as a misbehaving gateway would. */
  forceRaw(name: string, variant: Variant, sourceMs: number): void;
  /** Test hook: sessions open on the server now (a client that leaks one shows here). */
  sessionCount(): number;
  /** Test hook: resolves when the next session is created, before the client has the response. */
  nextSession(): Promise<void>;
  stop(): Promise<void>;
}


// Constant-time comparison of digests: neither the length nor the content of a wrong guess leaks through timing.
function samePassword(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(h(a), h(b));
}

export async function startOpcuaServer(opts: OpcuaServerOptions): Promise<OpcuaPlantServer> {
  const port = opts.port === 0 ? await freePort() : opts.port;
  const modes = opts.securityModes ?? ["None", "Sign", "SignAndEncrypt"];
  const policies = opts.securityPolicies ?? ["Basic256Sha256"];
  const users = opts.users ?? [];
  if (!opts.allowAnonymous && users.length === 0) throw new Error("OPC UA server: no user can log in (allowAnonymous is false and no users are configured)");
  const autoAccept = opts.autoAcceptCertificates ?? false;
  const serverCm = makeCertificateManager(opts.dataDir, "pki", { autoAccept, watchFiles: true });
  // X509 user tokens are not offered to anyone; their store exists only so node-opcua does not fall back to a
  // shared per-user default folder, and it never accepts unknown certificates.
  const userCm = makeCertificateManager(opts.dataDir, "user-pki", { autoAccept: false, watchFiles: false });

  const server = new OPCUAServer({
    port,
    serverCertificateManager: serverCm,
    userCertificateManager: userCm,
    securityModes: modes.map((m) => SECURITY_MODES[m]),
    securityPolicies: [SecurityPolicy.None, ...policies.map((p) => SECURITY_POLICIES[p])],
    allowAnonymous: opts.allowAnonymous ?? false,
    userManager: { isValidUser: (username: string, password: string) => users.some((u) => u.username === username && samePassword(u.password, password)) },
    buildInfo: { productName: "chaleur plant simulator", manufacturerName: "chaleur" },
    serverInfo: { applicationName: { text: "chaleur-plant", locale: "en" } },
    isAuditing: false,
  });
  await server.initialize();
  const nodes: PlantNodes = buildPlantAddressSpace(server.engine.addressSpace!, opts.measurements, opts.forecasts ?? []);
  await server.start();

  const measurement = (name: string) => {
    const m = nodes.measurements.get(name);
    if (!m) throw new Error(`OPC UA server: unknown measurement ${name}`);
    return m;
  };

  return {
    endpointUrl: `opc.tcp://localhost:${port}`,
    advertisedEndpointUrl: server.getEndpointUrl(),
    port,
    certificateFile: join(serverCm.rootDir, "own/certs/certificate.pem"),
    update(values) {
      // Every value is checked before any is served, so one bad entry cannot leave a half-updated plant.
      const checked = [...values].map(([name, u]) => {
        const m = measurement(name);
        return { m, variant: measurementVariant(m.spec, u.value), u };
      });
      for (const { m, variant, u } of checked) setMeasurement(m.node, variant, u.sourceMs, u.good ?? true);
    },
    updateForecasts(f) {
      if (!Number.isInteger(f.stepS) || f.stepS <= 0) throw new Error(`OPC UA server: forecast step ${f.stepS} s is not a positive integer`);
      const arrays = Object.entries(f.series).map(([name, values]) => {
        const n = nodes.forecasts.get(name);
        if (!n) throw new Error(`OPC UA server: unknown forecast ${name}`);
        return { n, values };
      });
      const { forecastStart, forecastStepS } = nodes;
      if (!forecastStart || !forecastStepS) throw new Error("OPC UA server: started without forecasts");
      const sourceTimestamp = new Date(f.startMs);
      forecastStart.setValueFromSource(new Variant({ dataType: DataType.DateTime, value: new Date(f.startMs) }), StatusCodes.Good, sourceTimestamp);
      forecastStepS.setValueFromSource(new Variant({ dataType: DataType.UInt32, value: f.stepS }), StatusCodes.Good, sourceTimestamp);
      for (const { n, values } of arrays) {
        n.node.setValueFromSource(new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: Float64Array.from(values) }), StatusCodes.Good, sourceTimestamp);
      }
    },
    trustCertificate: (file) => trustCertificateFiles(serverCm, [file]),
    forceRaw(name, variant, sourceMs) {
      forceRawValue(measurement(name).node, variant, sourceMs);
    },
    sessionCount: () => server.currentSessionCount,
    nextSession: () => new Promise<void>((resolve) => server.once("create_session", () => resolve())),
    async stop() {
      // shutdown() also disposes both certificate stores
      await server.shutdown(0);
    },
  };
}
