import { timingSafeEqual, createHash } from "node:crypto";
import { isIP } from "node:net";
import { freePort } from "../free-port.ts";
import { join } from "node:path";
import { CreateSessionRequest, DataType, extractFullyQualifiedDomainName, OPCUAServer, SecurityPolicy, StatusCodes, Variant, VariantArrayType } from "node-opcua";
import type { ForecastSpec, MeasurementSpec } from "../catalogue.ts";
import { buildPlantAddressSpace, forceRawValue, measurementVariant, setMeasurement, type MeasurementUpdate, type PlantNodes } from "./plant-address-space.ts";
import { ensureServerCertificate, makeCertificateManager, trustCertificateFiles } from "./pki.ts";
import { type SecurityModeName, type SecurityPolicyName, SECURITY_MODES, SECURITY_POLICIES } from "./security.ts";

export type { MeasurementUpdate } from "./plant-address-space.ts";

/** The plant simulator's OPC UA server (what a real plant's SCADA gateway would be). */
export interface OpcuaServerOptions {
  /** TCP port; 0 picks a free one. */
  port: number;
  /**
   * Address to listen on (default 127.0.0.1: a simulator is nobody else's business). "0.0.0.0" or "::" listens on
   * every interface and advertises this machine's name; any other host is advertised as given.
   */
  host?: string;
  /** Sessions open at once (default 50; node-opcua's own default, 10, is what a few crashed clients fill). */
  maxSessions?: number;
  /** TCP connections at once (default 50). */
  maxConnections?: number;
  /**
   * Longest session timeout granted, whatever a client asks (default 30 s): the time a session abandoned by a killed
   * client holds its place. node-opcua would grant up to 50 min.
   */
  maxSessionTimeoutMs?: number;
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
  /** URL to connect to: the one the server advertises in its endpoint descriptions (GetEndpoints). */
  endpointUrl: string;
  /** The server's application URI, which is also the URI of the plant's namespace (ns=1). */
  applicationUri: string;
  /** Address the server listens on. */
  host: string;
  port: number;
  /** An existing server certificate no longer fitted (another host, an older name) and was replaced at start. */
  certificateRenewed: boolean;
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

const WILDCARDS = new Set(["0.0.0.0", "::"]);
export const DEFAULT_MAX_SESSIONS = 50;
export const DEFAULT_MAX_CONNECTIONS = 50;
export const DEFAULT_MAX_SESSION_TIMEOUT_MS = 30_000;

const LISTEN_PROBLEMS: Record<string, (port: number) => string> = {
  EADDRINUSE: (port) => `port ${port} is already in use`,
  EACCES: () => "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: () => "the address is not one of this machine's",
  ENOTFOUND: () => "the host name does not resolve",
};

/** The server could not listen; `code` is the system's (EADDRINUSE, EACCES, …) so a caller can say which option to change. */
export class OpcuaListenError extends Error {
  readonly code: string;
  constructor(readonly host: string, readonly port: number, cause: NodeJS.ErrnoException) {
    const code = cause.code ?? "UNKNOWN";
    super(`OPC UA server cannot listen on ${host}:${port}: ${LISTEN_PROBLEMS[code]?.(port) ?? cause.message.split("\n")[0]} (${code})`);
    this.name = "OpcuaListenError";
    this.code = code;
  }
}

/** The host the endpoints name: the listening address, or this machine's name when it listens everywhere. */
async function advertisedHost(host: string): Promise<string> {
  if (WILDCARDS.has(host)) return extractFullyQualifiedDomainName();
  // node-opcua writes the host into the URL as is, and "opc.tcp://::1:4840" is no URL any client can parse.
  if (isIP(host) === 6) throw new Error(`OPC UA server: cannot advertise the IPv6 address ${host} (use a host name, 0.0.0.0 or ::)`);
  return host;
}

export async function startOpcuaServer(opts: OpcuaServerOptions): Promise<OpcuaPlantServer> {
  const host = opts.host ?? "127.0.0.1";
  const users = opts.users ?? [];
  if (!opts.allowAnonymous && users.length === 0) throw new Error("OPC UA server: no user can log in (allowAnonymous is false and no users are configured)");
  const published = await advertisedHost(host);
  // Also a check that this machine can listen on the host at all, before a certificate is made in its name.
  const anyPort = () =>
    freePort(host).catch((e: NodeJS.ErrnoException) => {
      throw new OpcuaListenError(host, opts.port, e);
    });
  const probed = await anyPort();
  if (opts.port !== 0) return listen(opts, host, published, opts.port);
  // node-opcua advertises the port it is given, so it cannot be handed 0: ask the OS for one, and try again if
  // another program takes it in between.
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(opts, host, published, attempt === 1 ? probed : await anyPort());
    } catch (e) {
      if (attempt >= 5 || !(e instanceof OpcuaListenError && e.code === "EADDRINUSE")) throw e;
    }
  }
}

async function listen(opts: OpcuaServerOptions, host: string, published: string, port: number): Promise<OpcuaPlantServer> {
  const modes = opts.securityModes ?? ["None", "Sign", "SignAndEncrypt"];
  const policies = opts.securityPolicies ?? ["Basic256Sha256"];
  const users = opts.users ?? [];
  const autoAccept = opts.autoAcceptCertificates ?? false;
  const maxSessionTimeoutMs = opts.maxSessionTimeoutMs ?? DEFAULT_MAX_SESSION_TIMEOUT_MS;
  const serverCm = makeCertificateManager(opts.dataDir, "pki", { autoAccept, watchFiles: true });
  // X509 user tokens are not offered to anyone; their store exists only so node-opcua does not fall back to a
  // shared per-user default folder, and it never accepts unknown certificates.
  const userCm = makeCertificateManager(opts.dataDir, "user-pki", { autoAccept: false, watchFiles: false });
  // One name for the server everywhere a client sees it: the endpoint URLs, the application URI (the namespace
  // URI of every plant node) and the certificate's names.
  const applicationUri = `urn:${published}:chaleur:plant-simulator`;
  const certificateFile = join(serverCm.rootDir, "own/certs/certificate.pem");
  let renewed: "kept" | "created" | "renewed";
  try {
    renewed = await ensureServerCertificate(serverCm, certificateFile, { applicationUri, applicationName: "chaleur-plant", host: published });
  } catch (e) {
    await Promise.all([serverCm.dispose(), userCm.dispose()]);
    throw e;
  }

  const server = new OPCUAServer({
    port,
    host,
    hostname: published,
    serverCertificateManager: serverCm,
    userCertificateManager: userCm,
    certificateFile,
    securityModes: modes.map((m) => SECURITY_MODES[m]),
    securityPolicies: [SecurityPolicy.None, ...policies.map((p) => SECURITY_POLICIES[p])],
    allowAnonymous: opts.allowAnonymous ?? false,
    userManager: { isValidUser: (username: string, password: string) => users.some((u) => u.username === username && samePassword(u.password, password)) },
    buildInfo: { productName: "chaleur plant simulator", manufacturerName: "chaleur" },
    serverInfo: { applicationUri, applicationName: { text: "chaleur-plant", locale: "en" } },
    serverCapabilities: { maxSessions: opts.maxSessions ?? DEFAULT_MAX_SESSIONS },
    maxConnectionsPerEndpoint: opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    isAuditing: false,
  });
  // node-opcua 2.182.2 has no option for the longest session timeout (its 50 min are a module constant), but it
  // emits every request before handling it: a CreateSession asking for more than the cap is revised down here, and
  // the client is told the revised value as the protocol intends.
  server.on("request", (request) => {
    // (0 asks for node-opcua's default, 30 s, which may exceed a lower cap.)
    if (request instanceof CreateSessionRequest && !(request.requestedSessionTimeout > 0 && request.requestedSessionTimeout <= maxSessionTimeoutMs)) request.requestedSessionTimeout = maxSessionTimeoutMs;
  });
  try {
    await server.initialize();
  } catch (e) {
    await server.shutdown(0).catch(() => undefined);
    throw e;
  }
  const nodes: PlantNodes = buildPlantAddressSpace(server.engine.addressSpace!, opts.measurements, opts.forecasts ?? []);
  try {
    await server.start();
  } catch (e) {
    // Nothing may keep listening or watching files after a failed start: the caller's process must be able to exit.
    await server.shutdown(0).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== undefined && code in LISTEN_PROBLEMS) throw new OpcuaListenError(host, port, e as NodeJS.ErrnoException);
    throw e;
  }

  const measurement = (name: string) => {
    const m = nodes.measurements.get(name);
    if (!m) throw new Error(`OPC UA server: unknown measurement ${name}`);
    return m;
  };

  return {
    endpointUrl: server.getEndpointUrl(),
    applicationUri,
    host,
    port,
    certificateRenewed: renewed === "renewed",
    certificateFile,
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
