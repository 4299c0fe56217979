/**
 * Override requests per user, as a token bucket in wall time: each request (accepted or refused) is checked,
 * audited and makes the daemon run a cycle and a plan, so a script or a stuck key must not be able to send
 * hundreds a second (1,000 in 30 s grew the daemon by 220 MB). A person setting overrides by hand never meets it.
 */
export class RequestBudget {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();
  readonly #burst: number;
  readonly #perMinute: number;
  readonly #nowMs: () => number;

  constructor(o: { burst: number; perMinute: number; nowMs?: () => number }) {
    this.#burst = o.burst;
    this.#perMinute = o.perMinute;
    this.#nowMs = o.nowMs ?? Date.now;
  }

  /** Takes one request of `user`: null when it may go on, else the whole seconds to wait. */
  take(user: string): number | null {
    const now = this.#nowMs();
    const b = this.#buckets.get(user) ?? { tokens: this.#burst, atMs: now };
    const tokens = Math.min(this.#burst, b.tokens + ((now - b.atMs) / 60_000) * this.#perMinute);
    if (tokens < 1) {
      this.#buckets.set(user, { tokens, atMs: now });
      return Math.max(1, Math.ceil(((1 - tokens) / this.#perMinute) * 60));
    }
    this.#buckets.set(user, { tokens: tokens - 1, atMs: now });
    return null;
  }
}
