import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import ModbusRTU from "modbus-serial";
import type { Page } from "playwright-core";
import type { SimPlant } from "../src/sim/plant-server.ts";
import type { RunningDaemon } from "../src/daemon/run.ts";
import { jsErrors, startHmiRig, tab, until, type HmiRig } from "./hmi-rig.ts";

/**
 * The operators' HMI in a real browser (Debian's headless Chromium driven by playwright-core) against the daemon
 * and sim-plant over real sockets (OPC UA SignAndEncrypt, three Modbus TCP PLCs), the plant at 60× with the daemon
 * on its clock, as `npm start` runs them (test/hmi-rig.ts). What a PLC acts on is read from it over Modbus by a
 * client of the test's own. The screenshots in docs/screenshots are taken here.
 */
let rig: HmiRig;
let shots: string;
let plant: SimPlant;
let running: RunningDaemon;
const login = (role: string, viewport?: { width: number; height: number }) => rig.login(role, viewport);

beforeAll(async () => {
  rig = await startHmiRig();
  ({ plant, running, shots } = rig);
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

/** Each test starts with no override pending (one left by a failed test would make the next one's a clash). */
afterEach(async () => {
  const now = plant.plantNowMs();
  for (const o of running.ops.pending(now)) running.ops.clearOverride({ username: "e2e", role: "admin" }, o.id, "test cleanup");
});

/**
 * The overview with the plant's values in it (not the first render's MISSING ones): the table's rows and the flow
 * picture's IT heat good, and the trend drawn. Screenshots of the overview wait for this.
 */
async function overviewWithValues(page: Page): Promise<void> {
  await until("good values on the overview", async () =>
    (await page.locator("#measurements-table tbody tr.q-good").count()) >= 10
    && (await page.locator('#flow-svg text.v.q-good[data-tag="dc.it_heat_kw"]').count()) === 1
    && (await page.locator("#overview-trend canvas").count()) > 0, 30_000);
}

/** A PLC's float32 register (ABCD), read over Modbus TCP by the test's own client. */
async function readKw(plc: number, address: number): Promise<number> {
  const c = new ModbusRTU();
  await c.connectTCP("127.0.0.1", { port: plant.plcs[plc]!.server.port });
  c.setID(plant.plcs[plc]!.map.unitId);
  c.setTimeout(2000);
  try {
    const r = await c.readHoldingRegisters(address, 2);
    return r.buffer.readFloatBE(0);
  } finally {
    c.close(() => undefined);
  }
}
const hp2SetpointKw = () => readKw(0, plant.plcs[0]!.map.registers.find((r) => r.name === "hp2_heat_setpoint_kw")!.address);

describe("the HMI in a browser", () => {
  it("an operator overrides a heat pump with a reason: it is on the plan, the PLC's register takes it, the audit log shows it", { timeout: 120_000 }, async () => {
    const page = await login("operator");
    await overviewWithValues(page);
    await page.screenshot({ path: join(shots, "overview.png") });
    await tab(page, "overrides");
    await page.selectOption("#override-target", "hp2");
    await page.selectOption("#override-kind", "fixed");
    await page.fill("#override-value", "333");
    await page.fill("#override-duration-min", "240");
    await page.fill("#override-reason", "CPCU asked for a steady test load");
    await page.click("#override-submit");
    const row = await page.waitForSelector("#overrides-table tr[data-id]", { timeout: 15_000 });
    const id = Number(await row.getAttribute("data-id"));
    expect(await row.textContent()).toMatch(/CPCU asked for a steady test load/);
    await page.screenshot({ path: join(shots, "overrides.png") });
    // What the PLC acts on, read over Modbus.
    expect(await until("the register to take 333 kW", async () => Math.abs((await hp2SetpointKw()) - 333) < 0.01)).toBe(true);
    await tab(page, "plan");
    await until("the plan made around it", async () => (await page.textContent("#plan-overrides"))?.includes(`#${id}`));
    expect(running.daemon.planStore.overrideIds).toContain(id);
    await page.screenshot({ path: join(shots, "plan.png") });
    await tab(page, "audit");
    await until("the audit row", async () => (await page.textContent("#audit-table"))?.includes("CPCU asked for a steady test load"));
    expect(await page.textContent("#audit-table")).toMatch(/override\.set/);
    // The daemon's start (its config load) is in the audit log too, with the config's hash.
    expect(await page.textContent("#audit-table")).toMatch(/config\.load[\s\S]*sha256 [0-9a-f]{16}/);
    expect(jsErrors(page)).toEqual([]);
    // Cleared from the panel, with a reason given in the confirmation (test/hmi-clear.test.ts tests the dialog).
    await tab(page, "overrides");
    await page.click(`#overrides-table tr[data-id="${id}"] button.clear`);
    await page.fill("#clear-reason", "test load done");
    await page.click("#clear-confirm");
    await until("the override to leave the table", async () => (await page.$(`#overrides-table tr[data-id="${id}"]`)) === null);
    expect(running.ops.overrides(true).find((o) => o.id === id)).toMatchObject({ clearedBy: "operator", clearReason: "test load done" });
    await page.close();
  });

  it("a viewer has no override controls, and the API refuses one with 403", { timeout: 60_000 }, async () => {
    const page = await login("viewer", { width: 1366, height: 768 });
    await overviewWithValues(page);
    await page.screenshot({ path: join(shots, "overview-1366x768-viewer.png") });
    await tab(page, "overrides");
    expect(await page.$("#override-submit")).toBeNull();
    expect(await page.$("#override-reason")).toBeNull();
    await tab(page, "alarms");
    expect(await page.$("#alarms-table button.ack")).toBeNull();
    const status = await page.evaluate(async () => {
      const me = (await (await fetch("/api/me")).json()) as { csrf_token: string };
      const r = await fetch("/api/overrides", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": me.csrf_token }, body: JSON.stringify({ target: "hp1", kind: "off", duration_min: 30, reason: "viewer tries" }) });
      return r.status;
    });
    expect(status).toBe(403);
    await page.close();
  });

  it("an override that would break cooling first is refused on screen with its reason", { timeout: 90_000 }, async () => {
    const page = await login("engineer");
    const csrf = await page.evaluate(async () => ((await (await fetch("/api/me")).json()) as { csrf_token: string }).csrf_token);
    // Both heat pumps and the dry coolers out: only the chiller is left for the servers' heat.
    const made: number[] = [];
    for (const body of [{ target: "hp1", kind: "lockout" }, { target: "hp2", kind: "lockout" }, { target: "dry_coolers", kind: "limit", value: 0 }]) {
      const r = await page.evaluate(async ([b, t]) => {
        const res = await fetch("/api/overrides", { method: "POST", headers: { "content-type": "application/json", "x-csrf-token": t }, body: JSON.stringify({ ...b, duration_min: 60, reason: "maintenance campaign" }) });
        return { status: res.status, body: (await res.json()) as { id: number } };
      }, [body, csrf] as const);
      expect(r.status).toBe(201);
      made.push(r.body.id);
    }
    await tab(page, "overrides");
    await page.selectOption("#override-target", "chiller");
    await page.selectOption("#override-kind", "limit");
    await page.fill("#override-value", "0");
    await page.fill("#override-duration-min", "60");
    await page.fill("#override-reason", "chiller service");
    await page.click("#override-submit");
    const err = await page.waitForSelector("#override-error:not(:empty)", { timeout: 10_000 });
    expect(await err.textContent()).toMatch(/cooling first: at .* the servers give \d+ kW; with chiller at most 0 kW the plant could take at most \d+ kW/);
    await page.screenshot({ path: join(shots, "override-refused.png") });
    for (const id of made) await page.evaluate(async ([i, t]) => void (await fetch(`/api/overrides/${i}`, { method: "DELETE", headers: { "content-type": "application/json", "x-csrf-token": t }, body: JSON.stringify({ reason: "campaign over" }) })), [id, csrf] as const);
    await page.close();
  });

  it("an override expires by itself and the plan returns", { timeout: 90_000 }, async () => {
    const page = await login("operator");
    await tab(page, "overrides");
    await page.selectOption("#override-target", "gh_boost");
    await page.selectOption("#override-kind", "limit");
    await page.fill("#override-value", "0");
    await page.fill("#override-duration-min", "3"); // 3 plant minutes: 3 s at 60×
    await page.fill("#override-reason", "glazing repair");
    await page.click("#override-submit");
    const id = Number(await (await page.waitForSelector("#overrides-table tr[data-id]")).getAttribute("data-id"));
    await until("the plan made around it", async () => running.daemon.planStore.overrideIds.includes(id));
    await until("the override to expire and leave the table", async () => (await page.$(`#overrides-table tr[data-id="${id}"]`)) === null, 30_000);
    await until("a plan made without it", async () => !running.daemon.planStore.overrideIds.includes(id) && running.daemon.planStore.trigger === "override", 30_000);
    const all = (await page.evaluate(async () => (await fetch("/api/overrides?all=true")).json())) as { id: number; status: string }[];
    expect(all.find((o) => o.id === id)!.status).toBe("expired");
    await page.close();
  });

  it("an alarm is raised, acknowledged and shelved from the alarm list", { timeout: 120_000 }, async () => {
    const page = await login("operator");
    // The greenhouse PLC is switched off: the daemon cannot write it.
    await plant.plcs[2]!.server.close();
    await tab(page, "alarms");
    const row = await page.waitForSelector("#alarms-table tr[data-id]:has-text('PLC greenhouse unreachable')", { timeout: 30_000 });
    expect(await row.getAttribute("data-priority")).toBe("high");
    expect(await row.getAttribute("data-state")).toBe("unack");
    const id = await row.getAttribute("data-id");
    await page.screenshot({ path: join(shots, "alarms.png") });
    await page.click(`#alarms-table tr[data-id="${id}"] button.ack`);
    await until("the acknowledgement", async () => (await page.getAttribute(`#alarms-table tr[data-id="${id}"]`, "data-state")) === "ack");
    await page.click(`#alarms-table tr[data-id="${id}"] button.shelve`);
    await page.fill("#shelve-duration-min", "30");
    await page.fill("#shelve-reason", "PLC replaced this afternoon");
    await page.click("#shelve-submit");
    await until("the alarm shelved", async () => (await page.evaluate(async (i) => ((await (await fetch("/api/alarms")).json()) as { id: number; state: string }[]).find((a) => a.id === Number(i))?.state, id)) === "shelved");
    await tab(page, "audit");
    await until("the audit rows", async () => /alarm\.shelve/.test((await page.textContent("#audit-table")) ?? ""));
    expect(await page.textContent("#audit-table")).toMatch(/alarm\.ack/);
    await page.close();
  });
});
