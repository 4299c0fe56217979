import type { Sample } from "../types.ts";
import type { ForecastSnapshot, LinkStatus, PlantMeasurementPort } from "./port.ts";
import { TagCache, type TagSpec } from "./tag-cache.ts";

/** One value as a test (or an offline run) hands it to the fake, as it would have come off the wire. */
export interface FakeValue {
  /** Anything: a number, a boolean, a string, NaN... judged exactly as a wire value would be. */
  value: unknown;
  /** Source time; default the clock's now. */
  sourceMs?: number;
  /** The source's own status; default good. */
  good?: boolean;
  statusDetail?: string;
}

/**
 * An in-memory plant link for core tests: values are fed directly and go through the same quality pipeline as the
 * OPC UA client's, without sockets or node-opcua.
 */
export class FakeMeasurementPort implements PlantMeasurementPort {
  readonly #clock: () => number;
  readonly #cache: TagCache;
  #connected = false;
  #closed = false;
  #connects = 0;
  #lastError: string | undefined;
  #connectError: string | undefined;
  #forecasts: ForecastSnapshot | undefined;

  /** Starts connected (most core tests only feed and read) unless `connected: false`. */
  constructor(tags: readonly TagSpec[], clock: () => number, opts: { connected?: boolean } = {}) {
    this.#clock = clock;
    this.#cache = new TagCache(tags, clock());
    if (opts.connected ?? true) {
      this.#connected = true;
      this.#connects = 1;
    }
  }

  /** Makes the next connect() fail with this message (a wrong password, an untrusted certificate...). */
  failNextConnect(message: string): void {
    this.#connectError = message;
  }

  async connect(): Promise<void> {
    if (this.#closed) throw new Error("measurement port is closed");
    if (this.#connectError !== undefined) {
      this.#lastError = this.#connectError;
      this.#connectError = undefined;
      throw new Error(this.#lastError);
    }
    if (!this.#connected) {
      this.#connected = true;
      this.#connects++;
    }
  }

  /** Feeds one value per measurement, as one notification each. */
  feed(values: Record<string, FakeValue | number | boolean | string>): void {
    if (!this.#connected) throw new Error("fake measurement port: feed while disconnected (call connect() first)");
    const receivedMs = this.#clock();
    for (const [m, v] of Object.entries(values)) {
      const f: FakeValue = typeof v === "object" && v !== null ? v : { value: v };
      this.#cache.ingest(m, { value: f.value, sourceMs: f.sourceMs ?? receivedMs, receivedMs, sourceGood: f.good ?? true, sourceDetail: f.statusDetail });
    }
  }

  /** The link drops: every tag reads comm_error until it is fed again after reconnect(). */
  disconnect(reason = "connection lost"): void {
    this.#connected = false;
    this.#lastError = reason;
    this.#cache.markAllCommError(reason, this.#clock());
  }

  reconnect(): void {
    if (this.#connected) return;
    this.#connected = true;
    this.#connects++;
  }

  /** One node fails (missing, access denied) while the others keep going. */
  failTag(measurement: string, detail: string): void {
    this.#cache.markCommError(measurement, detail, this.#clock());
  }

  setForecasts(f: ForecastSnapshot): void {
    this.#forecasts = structuredClone(f);
  }

  async read(): Promise<Map<string, Sample>> {
    if (this.#closed) throw new Error("measurement port is closed");
    return this.#cache.snapshot(this.#clock());
  }

  async readForecasts(): Promise<ForecastSnapshot> {
    if (this.#closed) throw new Error("measurement port is closed");
    if (!this.#connected) throw new Error(`forecasts unavailable: ${this.#lastError ?? "not connected"}`);
    if (!this.#forecasts) throw new Error("forecasts unavailable: the plant has not published any yet");
    return structuredClone(this.#forecasts);
  }

  status(): LinkStatus {
    return { connected: this.#connected, connects: this.#connects, ...(this.#lastError !== undefined && !this.#connected ? { lastError: this.#lastError } : {}) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#connected = false;
  }
}
