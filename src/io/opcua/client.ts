import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  DataChangeFilter,
  DataChangeTrigger,
  OPCUAClient,
  TimestampsToReturn,
  UserTokenType,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type UserIdentityInfo,
} from "node-opcua";
import { forecastCatalogue, simNodeId } from "../catalogue.ts";
import type { Sample } from "../types.ts";
import { rawSample, wireValue } from "./data-value.ts";
import { endpointUrlExpected } from "./endpoint-url.ts";
import { explainConnectError, type ErrorContext } from "./errors.ts";
import { checkedForecast, type ForecastNodes } from "./forecast.ts";
import { FORECAST_START, FORECAST_STEP_S } from "./plant-address-space.ts";
import { ensureOwnCertificate, makeCertificateManager, trustCertificateFiles } from "./pki.ts";
import type { ForecastSnapshot, LinkStatus, PlantMeasurementPort } from "./port.ts";
import { SECURITY_MODES, SECURITY_POLICIES, type SecurityModeName, type SecurityPolicyName } from "./security.ts";
import { TagCache, type TagSpec } from "./tag-cache.ts";

/** A measurement read from one OPC UA node. */
export interface OpcuaTag extends TagSpec {
  nodeId: string;
}

export type { ForecastNodes } from "./forecast.ts";

export interface OpcuaClientConfig {
  /** Where to connect (the server's advertised hostname need not resolve: endpoints are not matched by URL). */
  endpointUrl: string;
  securityMode: SecurityModeName;
  securityPolicy: SecurityPolicyName;
  /** Without a username the session is anonymous. */
  username?: string;
  password?: string;
  /** chaleur's OPC UA PKI lives in `<dataDir>/pki`: its own certificate and the trusted server certificates. */
  dataDir: string;
  /** Server certificate files (PEM or DER) added to the trust list before connecting. */
  trustedServerCertificates?: readonly string[];
  /** Trust any server certificate on first sight. For a demo only: it defeats the point of Sign/SignAndEncrypt. */
  autoAcceptServerCertificate?: boolean;
  tags: readonly OpcuaTag[];
  /** Where the plant serves its forecasts (declared in the config; no default: a plant's node ids are its own). */
  forecasts?: ForecastNodes;
  /** How often the server sends changes (default 250 ms). */
  publishingIntervalMs?: number;
  /** How often the server samples each node (default 100 ms; the simulator's nodes report every change anyway). */
  samplingIntervalMs?: number;
  /** Reconnection backoff after a lost connection: doubles from the initial delay up to the maximum. */
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /**
   * Each step of a connection attempt (channel, session, subscription, monitored items) that takes longer fails
   * (default 10 s). close() waits for the step in flight, so this also bounds how long close() can take.
   */
  connectTimeoutMs?: number;
  /** A forecast read that takes longer fails (default 10 s). */
  readTimeoutMs?: number;
  applicationName?: string;
}

export interface OpcuaMeasurementPort extends PlantMeasurementPort {
  /** chaleur's certificate (PEM), which the server must trust for Sign/SignAndEncrypt. */
  readonly certificateFile: string;
  /** Creates chaleur's certificate and trust list if missing, without connecting; returns the certificate file. */
  preparePki(): Promise<string>;
}

/** The simulator's forecast node ids (the catalogue's names at `ns=1;s=<name>`), for tests and tools that talk to it. */
export function simForecastNodes(): ForecastNodes {
  return { startNodeId: simNodeId(FORECAST_START), stepNodeId: simNodeId(FORECAST_STEP_S), series: Object.fromEntries(forecastCatalogue().map((f) => [f.name, simNodeId(f.name)])) };
}

interface Link {
  client: OPCUAClient;
  session: ClientSession;
  subscription: ClientSubscription;
  group: ClientMonitoredItemGroup;
  /** Longest silence (no notification, no keep-alive) before the link is declared dead. */
  deadlineMs: number;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s (ETIMEDOUT)`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Thrown by a connection attempt that close() overtook: passed on as is, never explained as a connection fault. */
class PortClosedError extends Error {}

function checkConfig(cfg: OpcuaClientConfig): void {
  const url = cfg.endpointUrl;
  const expected = endpointUrlExpected(url);
  if (expected !== undefined) throw new Error(`OPC UA: endpoint '${url}' is not ${expected}`);
  if ((cfg.securityMode === "None") !== (cfg.securityPolicy === "None")) {
    throw new Error(`OPC UA: security mode ${cfg.securityMode} needs ${cfg.securityMode === "None" ? "policy None" : "policy Basic256Sha256"}, got ${cfg.securityPolicy}`);
  }
  if ((cfg.username === undefined) !== (cfg.password === undefined)) throw new Error("OPC UA: username and password go together");
  if (cfg.tags.length === 0) throw new Error("OPC UA: no tags configured");
}

export function createOpcuaMeasurementPort(cfg: OpcuaClientConfig, clock: () => number): OpcuaMeasurementPort {
  checkConfig(cfg);
  const url = cfg.endpointUrl;
  const appName = cfg.applicationName ?? "chaleur";
  const applicationUri = `urn:chaleur:${appName}`;
  const publishingIntervalMs = cfg.publishingIntervalMs ?? 250;
  const initialDelayMs = cfg.reconnectInitialDelayMs ?? 250;
  const maxDelayMs = cfg.reconnectMaxDelayMs ?? 5000;
  const connectTimeoutMs = cfg.connectTimeoutMs ?? 10_000;
  const readTimeoutMs = cfg.readTimeoutMs ?? 10_000;
  const tags = [...cfg.tags];
  const cache = new TagCache(tags, clock());
  const cm = makeCertificateManager(cfg.dataDir, "pki", { autoAccept: cfg.autoAcceptServerCertificate ?? false, watchFiles: false });
  const certificateFile = join(cm.rootDir, "own/certs/client_certificate.pem");
  const errCtx: ErrorContext = { endpointUrl: url, username: cfg.username, clientCertificateFile: certificateFile, trustedFolder: cm.trustedFolder, rejectedFolder: cm.rejectedFolder };
  const identity: UserIdentityInfo = cfg.username !== undefined ? { type: UserTokenType.UserName, userName: cfg.username, password: cfg.password! } : { type: UserTokenType.Anonymous };

  // Every connection gets a generation; callbacks of an older one (a dying subscription's last notification, the
  // close event of a client being torn down) are ignored, so they can neither revive values nor trigger reconnects.
  let generation = 0;
  let link: Link | undefined;
  let aliveAtMs = 0;
  let closed = false;
  let everConnected = false;
  let connects = 0;
  let lastError: string | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let pkiReady: Promise<void> | undefined;
  let firstConnect: Promise<void> | undefined;
  // Connection attempts in flight (the first one or a reconnection): close() waits for them before it disposes of
  // the certificate store they use, so that none outlives the port.
  const attempts = new Set<Promise<void>>();
  let closing: Promise<void> | undefined;
  const overtaken = () => new PortClosedError(`OPC UA: measurement port closed before the connection to ${url} was up`);

  const preparePki = () => {
    pkiReady ??= (async () => {
      await ensureOwnCertificate(cm, certificateFile, appName, applicationUri);
      await trustCertificateFiles(cm, cfg.trustedServerCertificates ?? []);
    })().catch((e) => {
      pkiReady = undefined;
      throw e;
    });
    return pkiReady;
  };

  async function teardown(l: { client: OPCUAClient; session?: ClientSession }): Promise<void> {
    // A dead server will not answer CloseSession: give it a moment, then drop the socket regardless.
    if (l.session) await withTimeout(l.session.close(true), 1000, "close session").catch(() => undefined);
    await withTimeout(l.client.disconnect(), 2000, "disconnect").catch(() => undefined);
  }

  // close() can run during any await below: each is followed by a check, so that an overtaken attempt opens nothing
  // more, closes what it has opened (the catch below) and never installs a link.
  async function connectOnce(gen: number): Promise<void> {
    await preparePki().catch((e: Error) => {
      throw new Error(`OPC UA: certificate store ${cm.rootDir}: ${e.message.split("\n")[0]}`);
    });
    if (closed) throw overtaken();
    // An operator may have moved a certificate into trusted/ since the last attempt.
    await cm.reloadCertificates();
    if (closed) throw overtaken();
    const client = OPCUAClient.create({
      applicationName: appName,
      applicationUri,
      clientCertificateManager: cm,
      certificateFile,
      securityMode: SECURITY_MODES[cfg.securityMode],
      securityPolicy: SECURITY_POLICIES[cfg.securityPolicy],
      endpointMustExist: false,
      // One attempt per connect: the backoff below is chaleur's, so that a first failure surfaces at once.
      connectionStrategy: { maxRetry: 0, initialDelay: initialDelayMs, maxDelay: maxDelayMs },
      keepSessionAlive: false,
      requestedSessionTimeout: 60_000,
      clientName: appName,
    });
    let session: ClientSession | undefined;
    try {
      await withTimeout(client.connect(url), connectTimeoutMs, `connect to ${url}`);
      if (closed) throw overtaken();
      session = await withTimeout(client.createSession(identity), connectTimeoutMs, `session on ${url}`);
      if (closed) throw overtaken();
      const subscription = await withTimeout(
        session.createSubscription2({ requestedPublishingInterval: publishingIntervalMs, requestedMaxKeepAliveCount: 10, requestedLifetimeCount: 100, maxNotificationsPerPublish: 0, publishingEnabled: true, priority: 10 }),
        connectTimeoutMs,
        `subscription on ${url}`,
      );
      if (closed) throw overtaken();
      // The listener goes on before the items exist: the first notifications can arrive in the same socket read
      // as the CreateMonitoredItems response, before an awaited promise would resume. Until the attempt has
      // fully succeeded they are held back, so a failed attempt cannot leave values looking current.
      let pending: [number, DataValue][] | undefined = [];
      const ingest = (index: number, dv: DataValue) => {
        const tag = tags[index];
        if (!tag) return;
        // node-opcua swallows a listener's exception into a warning: a value that cannot be judged must show.
        try {
          cache.ingest(tag.measurement, rawSample(dv, clock()));
        } catch (e) {
          cache.markCommError(tag.measurement, `cannot judge the value of ${tag.nodeId}: ${(e as Error).message}`, clock());
        }
      };
      const group = ClientMonitoredItemGroup.create(
        subscription,
        tags.map((t) => ({ nodeId: t.nodeId, attributeId: AttributeIds.Value })),
        {
          samplingInterval: cfg.samplingIntervalMs ?? 100,
          queueSize: 1,
          discardOldest: true,
          // StatusValueTimestamp: a value re-stamped unchanged is news too (it is still being measured);
          // with the default StatusValue it would never arrive and a steady value would go stale.
          filter: new DataChangeFilter({ trigger: DataChangeTrigger.StatusValueTimestamp }),
        },
        TimestampsToReturn.Both,
      );
      group.on("changed", (_item, dv: DataValue, index: number) => {
        if (gen !== generation) return;
        if (pending) pending.push([index, dv]);
        else ingest(index, dv);
      });
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          group.once("initialized", () => resolve());
          group.once("terminated", (err?: Error) => reject(err ?? new Error("monitored items terminated")));
        }),
        connectTimeoutMs,
        `monitored items on ${url}`,
      );
      // Only close() moves the generation on while an attempt is running (lost() needs a live link of this one).
      if (closed || gen !== generation) throw overtaken();
      const keepAliveMs = subscription.publishingInterval * subscription.maxKeepAliveCount;
      link = { client, session, subscription, group, deadlineMs: 2 * keepAliveMs + 2000 };
      aliveAtMs = performance.now();
      for (const [index, dv] of pending) ingest(index, dv);
      pending = undefined;
      group.monitoredItems.forEach((item, i) => {
        if (!item.statusCode.isGood()) cache.markCommError(tags[i]!.measurement, `node ${tags[i]!.nodeId}: ${item.statusCode.name}`, clock());
      });
      const alive = () => {
        if (gen === generation) aliveAtMs = performance.now();
      };
      subscription.on("keepalive", alive);
      subscription.on("received_notifications", alive);
      subscription.on("terminated", () => lost(gen, `subscription on ${url} terminated`));
      session.on("session_closed", (sc) => lost(gen, `session on ${url} closed (${sc.name})`));
      client.on("connection_lost", () => lost(gen, `connection to ${url} lost`));
      client.on("close", (err) => lost(gen, err ? `connection to ${url} lost: ${err.message.split("\n")[0]}` : `connection to ${url} closed`));
      connects++;
      lastError = undefined;
    } catch (e) {
      await teardown({ client, session });
      if (e instanceof PortClosedError) throw e;
      throw new Error(explainConnectError(e, errCtx));
    }
  }

  function attempt(gen: number): Promise<void> {
    const p = connectOnce(gen);
    attempts.add(p);
    const done = () => attempts.delete(p);
    p.then(done, done);
    return p;
  }

  function lost(gen: number, detail: string): void {
    if (gen !== generation || closed) return;
    generation++;
    lastError = detail;
    cache.markAllCommError(detail, clock());
    const old = link;
    link = undefined;
    if (old) void teardown(old);
    scheduleReconnect(initialDelayMs);
  }

  function scheduleReconnect(delayMs: number): void {
    if (closed) return;
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => {
      if (closed) return;
      const gen = generation;
      attempt(gen).then(
        () => undefined,
        (e: Error) => {
          if (closed || gen !== generation) return;
          lastError = e.message;
          scheduleReconnect(Math.min(delayMs * 2, maxDelayMs));
        },
      );
    }, delayMs);
    reconnectTimer.unref();
  }

  return {
    certificateFile,
    preparePki: async () => {
      await preparePki();
      return certificateFile;
    },

    async connect() {
      if (closed) throw new Error("OPC UA: measurement port is closed");
      if (everConnected) return;
      // two callers at once share one attempt rather than opening two sessions
      firstConnect ??= attempt(generation).finally(() => {
        firstConnect = undefined;
      });
      try {
        await firstConnect;
      } catch (e) {
        // Overtaken by close(), whatever the attempt died of: the caller closed the port, that is the news.
        if (closed) throw overtaken();
        lastError = (e as Error).message;
        cache.markAllCommError(lastError, clock());
        throw e;
      }
      // close() may have run between the attempt's end and here: a closed port starts no watchdog.
      if (closed) throw overtaken();
      if (everConnected) return;
      everConnected = true;
      watchdog = setInterval(() => {
        if (link && performance.now() - aliveAtMs > link.deadlineMs) lost(generation, `no answer from ${url} for ${(link.deadlineMs / 1000).toFixed(1)} s`);
      }, 500);
      watchdog.unref();
    },

    async read(): Promise<Map<string, Sample>> {
      if (closed) throw new Error("OPC UA: measurement port is closed");
      return cache.snapshot(clock());
    },

    async readForecasts(): Promise<ForecastSnapshot> {
      const l = link;
      if (!l) throw new Error(`OPC UA: forecasts unavailable, not connected to ${url}${lastError ? ` (${lastError})` : ""}`);
      const nodes = cfg.forecasts;
      if (!nodes) throw new Error("OPC UA: no forecast nodes configured (opcua.forecasts in the config)");
      const names = Object.keys(nodes.series);
      const ids = [nodes.startNodeId, nodes.stepNodeId, ...names.map((n) => nodes.series[n]!)];
      // A server that stops answering without closing would otherwise hold the caller until the watchdog notices.
      const dvs = await withTimeout(
        l.session.read(ids.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value }))),
        readTimeoutMs,
        `OPC UA: reading forecasts from ${url}`,
      );
      dvs.forEach((dv, i) => {
        if (!dv.statusCode.isGood()) throw new Error(`OPC UA: forecast node ${ids[i]} on ${url}: ${dv.statusCode.name}`);
      });
      return checkedForecast(url, nodes, wireValue(dvs[0]!), wireValue(dvs[1]!), Object.fromEntries(names.map((n, i) => [n, wireValue(dvs[i + 2]!)])));
    },

    status(): LinkStatus {
      return { connected: link !== undefined, connects, ...(lastError !== undefined ? { lastError } : {}) };
    },

    close() {
      // A second caller waits for the same teardown rather than returning while it is still running.
      closing ??= (async () => {
        closed = true;
        generation++;
        clearTimeout(reconnectTimer);
        clearInterval(watchdog);
        cache.markAllCommError("measurement port closed", clock());
        // An attempt in flight stops after its current step and closes what it opened; it still uses the
        // certificate store, so that goes last.
        await Promise.allSettled([...attempts, pkiReady]);
        const old = link;
        link = undefined;
        if (old) await teardown(old);
        await cm.dispose().catch(() => undefined);
      })();
      return closing;
    },
  };
}
