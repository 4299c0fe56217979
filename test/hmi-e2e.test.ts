import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import ModbusRTU from "modbus-serial";
import { chromium, type Browser, type Page } from "playwright-core";
import { LogLevel, setLogLevel } from "node-opcua";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { runDaemon, type RunningDaemon } from "../src/daemon/run.ts";
import { freePort } from "../src/io/free-port.ts";

/**
 * The operators' HMI in a real browser (Debian's headless Chromium driven by playwright-core) against the daemon
 * and sim-plant over real sockets (OPC UA SignAndEncrypt, three Modbus TCP PLCs), the plant at 60× with the daemon
 * on its clock, as `npm start` runs them. What a PLC acts on is read from it over Modbus by a client of the test's
 * own. The screenshots in docs/screenshots are taken here.
 */
const CHROMIUM = "/usr/bin/chromium";
const SPEED = 60;
const root = resolve(import.meta.dirname, "..");
// The screenshots in docs/ are refreshed with CHALEUR_SCREENSHOTS=1; otherwise they go to the test's temporary folder
// (taking them still checks that every screen renders), so `npm test` leaves the work tree as it was.
let shots = join(root, "docs", "screenshots");

let dir: string;
let plant: SimPlant;
let running: RunningDaemon;
let browser: Browser;
let base: string;
const password = (role: string) => running.demoUsers.find((u) => u.username === role)!.password;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  setLogLevel(LogLevel.Error);
  dir = mkdtempSync(join(tmpdir(), "chaleur-e2e-"));
  if (!process.env.CHALEUR_SCREENSHOTS) shots = join(dir, "shots");
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  plant = await startSimPlant({ model: cfg.model, plcMaps: cfg.maps, opcuaPort: 0, modbusPort: 0, speed: SPEED, dataDir: join(dir, "plant"), users: [{ username: "chaleur", password: "e2e-test" }], autoAcceptCertificates: true, tickMs: 100, sourceTime: "plant" });
  process.env[cfg.wire.opcua.passwordEnv ?? "CHALEUR_OPCUA_PASSWORD"] = "e2e-test";
  cfg.wire = {
    ...cfg.wire,
    dataDir: join(dir, "daemon"),
    opcua: { ...cfg.wire.opcua, endpoint: plant.opcua.endpointUrl },
    modbus: { ...cfg.wire.modbus, plcs: plant.plcs.map((p) => ({ mapFile: "", host: "127.0.0.1", port: p.server.port })) },
  };
  cfg.history = { ...cfg.history, file: join(dir, "daemon", "history.sqlite") };
  cfg.forecastSources = { ...cfg.forecastSources, dropFolder: null };
  cfg.http = { ...cfg.http, port: await freePort() };
  running = await runDaemon(cfg, { clock: { nowMs: () => plant.plantNowMs(), rate: SPEED }, logDestination: pino.destination({ dest: join(dir, "daemon.log"), sync: true }), demoUsers: true });
  base = `http://127.0.0.1:${cfg.http.port}`;
  // The first plan, before any browser work.
  for (let k = 0; k < 200 && running.daemon.status$.value.mode !== "optimal"; k++) await new Promise((r) => setTimeout(r, 100));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.stop();
  await plant?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Each test starts with no override pending (one left by a failed test would make the next one's a clash). */
afterEach(async () => {
  const now = plant.plantNowMs();
  for (const o of running.ops.pending(now)) running.ops.clearOverride({ username: "e2e", role: "admin" }, o.id, "test cleanup");
});

async function login(role: string, viewport = { width: 1920, height: 1080 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // Script errors, and answers ≥ 400 (Chromium's own "Failed to load resource" lines repeat those); a 503 from
  // /api/health is an answer the login screen shows (the daemon late on a loaded machine), not a fault.
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
  page.on("response", (r) => r.status() >= 400 && !(r.status() === 503 && r.url().endsWith("/api/health")) && errors.push(`${r.status()} ${r.request().method()} ${r.url()}`));
  (page as Page & { jsErrors?: string[] }).jsErrors = errors;
  await page.goto(base + "/");
  await page.fill("#login-username", role);
  await page.fill("#login-password", password(role));
  await page.click("#login-submit");
  await page.waitForSelector("#app:not([hidden])", { timeout: 15_000 });
  return page;
}

async function tab(page: Page, name: string): Promise<void> {
  await page.click(`[data-tab="${name}"]`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
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

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("the HMI in a browser", () => {
  it("an operator overrides a heat pump with a reason: it is on the plan, the PLC's register takes it, the audit log shows it", { timeout: 120_000 }, async () => {
    const page = await login("operator");
    await page.waitForSelector("#measurements-table tbody tr");
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
    expect((page as Page & { jsErrors?: string[] }).jsErrors).toEqual([]);
    // Cleared from the panel: the register goes back to the plan's value.
    await tab(page, "overrides");
    await page.click(`#overrides-table tr[data-id="${id}"] button`);
    await until("the override to leave the table", async () => (await page.$(`#overrides-table tr[data-id="${id}"]`)) === null);
    await page.close();
  });

  it("a viewer has no override controls, and the API refuses one with 403", { timeout: 60_000 }, async () => {
    const page = await login("viewer", { width: 1366, height: 768 });
    await page.waitForSelector("#measurements-table tbody tr");
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
    for (const id of made) await page.evaluate(async ([i, t]) => void (await fetch(`/api/overrides/${i}`, { method: "DELETE", headers: { "content-type": "application/json", "x-csrf-token": t }, body: "{}" })), [id, csrf] as const);
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
