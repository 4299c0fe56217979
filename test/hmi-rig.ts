import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pino from "pino";
import { chromium, type Browser, type Page } from "playwright-core";
import { LogLevel, setLogLevel } from "node-opcua";
import { loadDaemonConfig } from "../src/config/daemon-config.ts";
import { startSimPlant, type SimPlant } from "../src/sim/plant-server.ts";
import { runDaemon, type RunningDaemon } from "../src/daemon/run.ts";
import { freePort } from "../src/io/free-port.ts";

/**
 * What the HMI's browser tests share: the daemon and sim-plant over real sockets (OPC UA SignAndEncrypt, three
 * Modbus TCP PLCs), the plant at 60× with the daemon on its clock, as `npm start` runs them, and Debian's headless
 * Chromium driven by playwright-core. Each test file makes its own (a file may break its plant or stop its daemon).
 */
export const CHROMIUM = "/usr/bin/chromium";
export const SPEED = 60;

export interface HmiRig {
  dir: string;
  plant: SimPlant;
  running: RunningDaemon;
  browser: Browser;
  base: string;
  /** Where screenshots go: docs/screenshots with CHALEUR_SCREENSHOTS=1, else the rig's temporary folder. */
  shots: string;
  password(role: string): string;
  /** A new page logged in as the demo user of that role (the demo makes one per role, named after it). */
  login(role: string, viewport?: { width: number; height: number }): Promise<Page>;
  /** The daemon's graceful stop (its API closes); close() then leaves it. */
  stopDaemon(): Promise<void>;
  close(): Promise<void>;
}

/** Script errors and answers ≥ 400 a page met, collected by `login`. */
export const jsErrors = (page: Page): string[] => (page as Page & { jsErrors?: string[] }).jsErrors ?? [];

export async function startHmiRig(): Promise<HmiRig> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  setLogLevel(LogLevel.Error);
  const dir = mkdtempSync(join(tmpdir(), "chaleur-e2e-"));
  const cfg = loadDaemonConfig("config/chaleur-demo.yaml");
  const plant = await startSimPlant({ model: cfg.model, plcMaps: cfg.maps, opcuaPort: 0, modbusPort: 0, speed: SPEED, dataDir: join(dir, "plant"), users: [{ username: "chaleur", password: "e2e-test" }], autoAcceptCertificates: true, tickMs: 100, sourceTime: "plant" });
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
  const running = await runDaemon(cfg, { clock: { nowMs: () => plant.plantNowMs(), rate: SPEED }, logDestination: pino.destination({ dest: join(dir, "daemon.log"), sync: true }), demoUsers: true });
  const base = `http://127.0.0.1:${cfg.http.port}`;
  // The first plan, before any browser work.
  for (let k = 0; k < 200 && running.daemon.status$.value.mode !== "optimal"; k++) await new Promise((r) => setTimeout(r, 100));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  // Taking the screenshots even when they are not kept checks that every screen renders; `npm test` leaves the
  // work tree as it was.
  const shots = process.env.CHALEUR_SCREENSHOTS ? resolve(import.meta.dirname, "..", "docs", "screenshots") : join(dir, "shots");
  mkdirSync(shots, { recursive: true });
  const password = (role: string) => running.demoUsers.find((u) => u.username === role)!.password;
  let stopped = false;

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

  return {
    dir, plant, running, browser, base, shots, password, login,
    async stopDaemon() {
      stopped = true;
      await running.stop();
    },
    async close() {
      await browser.close().catch(() => undefined);
      if (!stopped) await running.stop();
      stopped = true;
      await plant.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function tab(page: Page, name: string): Promise<void> {
  await page.click(`[data-tab="${name}"]`);
  await page.waitForSelector(`#panel-${name}:not([hidden])`);
}

/** Polls f every 200 ms until it gives a truthy value; the bound is a requirement, not a guess at the machine's speed. */
export async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
