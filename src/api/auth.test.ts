import { describe, expect, it } from "vitest";
import { LoginLimiter, MAX_DELAY_MS, type LoginStart } from "./auth.ts";

/** The limiter on a clock the test moves: no test here waits for real time. */
function limiter(maxFailures = 5) {
  let now = 1_000_000;
  const l = new LoginLimiter({ maxFailures, windowMs: 15 * 60_000, nowMs: () => now });
  const attempt = (user: string, ip: string, succeeds: boolean): LoginStart => {
    const s = l.begin(user, ip);
    if (s.ok) l.end(s.attempt, succeeds);
    return s;
  };
  return { l, attempt, advance: (ms: number) => (now += ms) };
}

const refused = (s: LoginStart) => (s.ok ? null : { why: s.why, waitS: s.waitS });

describe("LoginLimiter", () => {
  it("never counts a good password: 100 logins from one address, then the usual allowance of failures is intact", () => {
    const { attempt } = limiter();
    for (let k = 0; k < 100; k++) expect(attempt(["viewer", "operator", "engineer", "admin"][k % 4]!, "10.1.1.1", true).ok).toBe(true);
    // Five failures per name are free, and 25 per address: all still there after the successes.
    for (let k = 0; k < 25; k++) expect(attempt(`name${k}`, "10.1.1.1", false).ok).toBe(true);
    for (let k = 0; k < 5; k++) expect(attempt("admin", "10.1.1.2", false).ok).toBe(true);
    expect(refused(attempt("admin", "10.1.1.3", true))).toEqual({ why: "user", waitS: 1 });
  });

  it("4 × 5 failures from four addresses: the right password from a fifth gets in after at most a minute", () => {
    const { attempt, advance } = limiter();
    for (const ip of ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]) {
      for (let k = 0; k < 5; k++) {
        const s = attempt("operator", ip, false);
        // The attacker waits out each delay as it grows: that is what a patient one does.
        if (!s.ok) {
          advance(s.waitS * 1000);
          expect(attempt("operator", ip, false).ok).toBe(true);
        }
      }
    }
    const blocked = refused(attempt("operator", "10.0.0.5", true));
    expect(blocked?.why).toBe("user");
    expect(blocked!.waitS).toBeGreaterThan(1);
    expect(blocked!.waitS).toBeLessThanOrEqual(MAX_DELAY_MS / 1000);
    advance(blocked!.waitS * 1000);
    expect(attempt("operator", "10.0.0.5", true).ok).toBe(true);
  });

  it("the wait grows 1, 2, 4 … s after the free failures and stops at 60 s", () => {
    const { attempt, advance } = limiter();
    const waits: number[] = [];
    for (let k = 0; k < 14; k++) {
      let s = attempt("engineer", "10.2.0.1", false);
      if (!s.ok) {
        waits.push(s.waitS);
        advance(s.waitS * 1000);
        s = attempt("engineer", "10.2.0.1", false);
      }
      expect(s.ok).toBe(true);
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
  });

  it("forgets a user name's failures after the window", () => {
    const { attempt, advance } = limiter();
    for (let k = 0; k < 5; k++) attempt("viewer", "10.3.0.1", false);
    expect(refused(attempt("viewer", "10.3.0.1", false))?.why).toBe("user");
    advance(15 * 60_000);
    for (let k = 0; k < 5; k++) expect(attempt("viewer", "10.3.0.1", false).ok).toBe(true);
  });

  it("holds a hard cap of 25 failures per address, over every name, for that address only", () => {
    const { attempt, advance } = limiter();
    for (let k = 0; k < 25; k++) expect(attempt(`guess${k}`, "10.4.0.1", false).ok).toBe(true);
    const r = refused(attempt("admin", "10.4.0.1", true));
    expect(r?.why).toBe("address");
    expect(r!.waitS).toBeGreaterThan(14 * 60);
    expect(attempt("admin", "10.4.0.2", true).ok).toBe(true);
    advance(15 * 60_000);
    expect(attempt("admin", "10.4.0.1", true).ok).toBe(true);
  });

  it("counts attempts as they start, and a success takes out only its own", () => {
    const { l } = limiter(2);
    const a = l.begin("admin", "10.5.0.1");
    const b = l.begin("admin", "10.5.0.2");
    expect(a.ok && b.ok).toBe(true);
    // Two checks running: a third guess for the name waits, though neither has failed yet.
    expect(refused(l.begin("admin", "10.5.0.3"))?.why).toBe("user");
    if (a.ok) l.end(a.attempt, true);
    const c = l.begin("admin", "10.5.0.3");
    expect(c.ok).toBe(true);
    if (b.ok) l.end(b.attempt, false);
    if (c.ok) l.end(c.attempt, false);
    expect(refused(l.begin("admin", "10.5.0.4"))?.why).toBe("user");
  });

  it("runs at most four password checks at once: a fifth is told to retry in a second", () => {
    const { l } = limiter();
    const running = ["a1", "a2", "a3", "a4"].map((u) => l.begin(u, "10.6.0.1"));
    expect(running.every((s) => s.ok)).toBe(true);
    expect(refused(l.begin("a5", "10.6.0.2"))).toEqual({ why: "busy", waitS: 1 });
    for (const s of running) if (s.ok) l.end(s.attempt, true);
    expect(l.begin("a5", "10.6.0.2").ok).toBe(true);
  });
});
