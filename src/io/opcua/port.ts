import type { MeasurementPort } from "../types.ts";

/**
 * What the daemon gets from the plant's OPC UA server beyond MeasurementPort: connection control, forecasts read on
 * demand and the link's state. Implemented by the real client and by the in-memory fake (no node-opcua import here,
 * so core tests with the fake do not pay for loading node-opcua).
 */

/** Forecast arrays as the plant serves them: series[name][i] applies from startMs + i * stepS. */
export interface ForecastSnapshot {
  startMs: number;
  stepS: number;
  series: Record<string, number[]>;
}

export interface LinkStatus {
  connected: boolean;
  /** The last connection error, as a one-line message (absent while connected and before any error). */
  lastError?: string;
  /** Successful (re)connections since connect(). */
  connects: number;
}

export interface PlantMeasurementPort extends MeasurementPort {
  /**
   * First connection: resolves once the subscription is live, rejects with a one-line message (wrong password,
   * untrusted certificate, unreachable endpoint...). After it has resolved, a lost connection is retried in the
   * background and every tag reads comm_error until values arrive again.
   */
  connect(): Promise<void>;
  readForecasts(): Promise<ForecastSnapshot>;
  status(): LinkStatus;
}
