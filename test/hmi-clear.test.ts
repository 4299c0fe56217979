import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startHmiRig, tab, until, type HmiRig } from "./hmi-rig.ts";

/**
 * Clearing an override from the HMI (issue 18 item 5): once, one keypress cleared an override with no reason and
 * left the focus on the next row's Clear, so three Enters cleared three overrides, a maintenance lock-out among
 * them. Now a row's Clear opens a confirmation that names the override, starts on Cancel and needs a reason; the
 * server's refusal (an operator clearing an engineer's lock-out) is shown in it. In Chromium against the daemon
 * and sim-plant over real sockets (test/hmi-rig.ts).
 */
let rig: HmiRig;

beforeAll(async () => {
  rig = await startHmiRig();
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

afterEach(async () => {
  const now = rig.plant.plantNowMs();
  for (const o of rig.running.ops.pending(now)) rig.running.ops.clearOverride({ username: "e2e", role: "admin" }, o.id, "test cleanup");
});

/** A request through the page's own session (cookie and CSRF token), as the HMI makes it. */
async function call(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  return page.evaluate(async ([m, p, b]) => {
    const me = (await (await fetch("/api/me")).json()) as { csrf_token: string };
    const res = await fetch(p, { method: m, headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token }, body: b === undefined ? undefined : JSON.stringify(b) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }, [method, path, body] as const);
}

async function setOverride(page: Page, body: Record<string, unknown>): Promise<number> {
  const r = await call(page, "POST", "/api/overrides", { duration_min: 240, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as number;
}

const pendingIds = () => rig.running.ops.pending(rig.plant.plantNowMs()).map((o) => o.id);
const focused = (page: Page) => page.evaluate(() => {
  const a = (globalThis as unknown as { document: { activeElement: { id: string; className: string; tagName: string } | null } }).document.activeElement;
  return a ? { id: a.id, className: String(a.className), tag: a.tagName } : null;
});

describe("clearing an override in the HMI", () => {
  it("asks first: Enter on a focused Clear opens a confirmation on Cancel, three Enters clear nothing, and a reason is required", { timeout: 120_000 }, async () => {
    const page = await rig.login("engineer");
    const deletes: string[] = [];
    page.on("request", (r) => r.method() === "DELETE" && deletes.push(r.url()));
    const lockout = await setOverride(page, { target: "hp2", kind: "lockout", reason: "compressor open, do not start" });
    const other = await setOverride(page, { target: "gh_boost", kind: "limit", value: 0, reason: "glazing repair" });
    await tab(page, "overrides");
    await page.waitForSelector(`#overrides-table tr[data-id="${lockout}"]`);
    await page.waitForSelector(`#overrides-table tr[data-id="${other}"]`);

    // The keyboard on the lock-out's Clear; Enter opens the confirmation, on Cancel, naming the lock-out plainly.
    await page.focus(`#overrides-table tr[data-id="${lockout}"] button.clear`);
    await page.keyboard.press("Enter");
    await page.waitForSelector("#clear-dialog[open]");
    expect(await focused(page)).toMatchObject({ id: "clear-cancel" });
    expect(await page.textContent("#clear-title")).toMatch(/LOCK-OUT on hp2/);
    expect(await page.textContent("#clear-what")).toMatch(new RegExp(`#${lockout}.*compressor open, do not start`));
    expect(await page.isVisible("#clear-lockout")).toBe(true);
    expect(await page.textContent("#clear-lockout")).toMatch(/maintenance lock-out/);
    await page.screenshot({ path: join(rig.shots, "override-clear-lockout.png") });

    // Two more Enters (three in all, as in the incident): Cancel, then nothing destructive.
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await until("the dialog closed", async () => !(await page.$("#clear-dialog[open]")));
    expect(await focused(page)).toMatchObject({ id: "overrides-heading" });
    expect(pendingIds()).toEqual(expect.arrayContaining([lockout, other]));
    expect(deletes).toEqual([]);

    // Escape cancels too, and leaves the keyboard on the heading.
    await page.click(`#overrides-table tr[data-id="${other}"] button.clear`);
    await page.waitForSelector("#clear-dialog[open]");
    expect(await page.isVisible("#clear-lockout")).toBe(false);
    await page.keyboard.press("Escape");
    await until("the dialog closed", async () => !(await page.$("#clear-dialog[open]")));
    expect(await focused(page)).toMatchObject({ id: "overrides-heading" });

    // No reason, too short a reason, or Enter in the reason field: nothing is sent.
    await page.click(`#overrides-table tr[data-id="${lockout}"] button.clear`);
    await page.waitForSelector("#clear-dialog[open]");
    await page.click("#clear-confirm");
    expect(await page.textContent("#clear-error")).toMatch(/at least 3 characters/);
    await page.fill("#clear-reason", "ok");
    await page.click("#clear-confirm");
    expect(await page.isVisible("#clear-error")).toBe(true);
    await page.fill("#clear-reason", "compressor closed, tested");
    await page.press("#clear-reason", "Enter");
    expect(await page.$("#clear-dialog[open]")).not.toBeNull();
    expect(deletes).toEqual([]);
    expect(pendingIds()).toContain(lockout);

    // The dialog's own Clear, with the reason: cleared, audited with the reason, the keyboard on the heading.
    await page.click("#clear-confirm");
    await until("the lock-out to leave the table", async () => (await page.$(`#overrides-table tr[data-id="${lockout}"]`)) === null);
    expect(deletes).toHaveLength(1);
    expect(rig.running.ops.overrides(true).find((o) => o.id === lockout)).toMatchObject({ clearedBy: "engineer", clearReason: "compressor closed, tested" });
    expect(pendingIds()).toContain(other);
    expect(await page.$("#clear-dialog[open]")).toBeNull();
    expect(await focused(page)).toMatchObject({ id: "overrides-heading" });
    await page.close();
  });

  it("an operator cannot clear an engineer's lock-out: the API's refusal is shown in the dialog and the lock-out stays", { timeout: 90_000 }, async () => {
    const eng = await rig.login("engineer");
    const lockout = await setOverride(eng, { target: "hp2", kind: "lockout", reason: "compressor open, do not start" });
    await eng.close();

    const page = await rig.login("operator");
    await tab(page, "overrides");
    await page.click(`#overrides-table tr[data-id="${lockout}"] button.clear`);
    await page.waitForSelector("#clear-dialog[open]");
    expect(await page.textContent("#clear-lockout")).toMatch(/Only its author \(engineer\), an engineer or an admin/);
    await page.fill("#clear-reason", "I think the work is done");
    const answer = page.waitForResponse((r) => r.request().method() === "DELETE");
    await page.click("#clear-confirm");
    const res = await answer;
    expect(res.status()).toBe(403);
    const error = ((await res.json()) as { error: string }).error;
    expect(error.length).toBeGreaterThan(0);
    await page.waitForSelector("#clear-error:not([hidden])");
    expect(await page.textContent("#clear-error")).toBe(`Override #${lockout} not cleared: ${error}`);
    // Still there: on the server, in the table, and the dialog still open for Cancel.
    expect(pendingIds()).toContain(lockout);
    expect(await page.$(`#overrides-table tr[data-id="${lockout}"]`)).not.toBeNull();
    expect(await page.$("#clear-dialog[open]")).not.toBeNull();
    await page.click("#clear-cancel");
    expect(await focused(page)).toMatchObject({ id: "overrides-heading" });
    await page.close();
  });
});
