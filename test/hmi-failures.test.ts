import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { startHmiRig, tab, until, type HmiRig } from "./hmi-rig.ts";

/**
 * The HMI when things fail, in Chromium against the daemon and sim-plant over real sockets (test/hmi-rig.ts), with
 * a rig of its own because it breaks it: the daemon killed under an open HMI (issue 18 item 10).
 */
let rig: HmiRig;

beforeAll(async () => {
  rig = await startHmiRig();
}, 120_000);

afterAll(async () => {
  await rig?.close();
});


describe("the HMI when links and the server fail", () => {
  it("the daemon killed under an open HMI: mode and links 'unknown' within 10 s, the plant clock stopped, the plan stale", { timeout: 120_000 }, async () => {
    const page = await rig.login("viewer");
    await until("the header's mode", async () => (await page.getAttribute("#mode", "data-mode")) === rig.running.daemon.status$.value.mode);
    expect(await page.textContent("#mode")).not.toMatch(/unknown/i);
    expect(await page.textContent("#connections")).toMatch(/OPC UA up/);
    await tab(page, "plan");
    await page.waitForSelector("#plan-summary dl.facts");
    expect(await page.isHidden("#plan-stale")).toBe(true);

    // A kill, as the browser sees it: the port stops listening and every connection drops. (A graceful stop alone
    // would wait for the HMI's live stream to end before its port closed.)
    const stopping = rig.stopDaemon();
    const server = rig.running.health.server;
    await until("the API's port closed", async () => !server.listening, 10_000);
    server.closeAllConnections();
    const killedAt = Date.now();
    await until("the header's mode 'unknown'", async () => (await page.getAttribute("#mode", "data-mode")) === "unknown", 10_000);
    console.log(`mode unknown ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    expect(await page.textContent("#mode")).toMatch(/UNKNOWN/);
    expect(await page.textContent("#mode-cause")).toMatch(/cannot be reached/);
    expect(await page.textContent("#banner")).toMatch(/server cannot be reached/);
    // Every link chip "unknown", none coloured as up or down.
    const chips = await page.$$eval("#connections li", (lis) => lis.map((li) => ({ cls: li.className, text: li.textContent ?? "" })));
    expect(chips.length).toBeGreaterThan(0);
    for (const c of chips) {
      expect(c.cls).toBe("conn unknown");
      expect(c.text).toMatch(/unknown$/);
    }
    // The plant clock stops at the last state: the same text over more than two of its 1-s ticks.
    const clock = await page.textContent("#plant-time");
    expect(clock).toMatch(/stopped/);
    const t = Date.now();
    await until("2.5 s of a stopped clock", async () => {
      expect(await page.textContent("#plant-time")).toBe(clock);
      return Date.now() - t > 2500;
    });
    // The plan is marked stale.
    expect(await page.isVisible("#plan-stale")).toBe(true);
    expect(await page.textContent("#plan-stale")).toMatch(/Stale: the last plan received/);
    expect(await page.textContent("#plan-age")).toMatch(/stale/);
    await page.screenshot({ path: join(rig.shots, "server-unreachable.png") });
    await stopping;
    await page.close();
  });
});
