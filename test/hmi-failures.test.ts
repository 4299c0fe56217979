import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { startHmiRig, tab, until, type HmiRig } from "./hmi-rig.ts";

/**
 * The HMI when things fail, in Chromium against the daemon and sim-plant over real sockets (test/hmi-rig.ts), with
 * a rig of its own because it breaks it: two PLCs switched off (alarms, acknowledged all at once), then the daemon
 * itself killed under an open HMI (issue 18 items 10 and 11). The tests run in order.
 */
let rig: HmiRig;

beforeAll(async () => {
  rig = await startHmiRig();
}, 120_000);

afterAll(async () => {
  await rig?.close();
});

/** The PLC's alarm for the cut made here (a link that dropped for a moment at start may have left one that cleared). */
const serverAlarm = (source: string) => rig.running.ops.alarms(false).find((a) => a.code === "plc_unreachable" && a.source === source && a.active);
const rowsListed = (page: Page) => page.$$eval("#alarms-table tbody tr[data-id]", (rows) => rows.map((r) => ({ id: Number(r.getAttribute("data-id")), state: r.getAttribute("data-state") })));
const focusedId = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id ?? "");

describe("the HMI when links and the server fail", () => {
  it("acknowledge-all acknowledges the unacknowledged alarms listed, and not one raised since that is not in view", { timeout: 120_000 }, async () => {
    await rig.plant.plcs[1]!.server.close(); // the substation PLC
    const first = await until("the substation's alarm", async () => serverAlarm("substation"), 30_000);
    expect(first.state).toBe("unack");

    // The page's live stream is held back, so its list stays what it loaded: an alarm raised after is not in view.
    const page = await rig.login("operator");
    await page.route("**/api/events", (r) => r.abort());
    await page.reload();
    await page.waitForSelector("#app:not([hidden])");
    await tab(page, "alarms");
    await page.waitForSelector(`#alarms-table tr[data-id="${first.id}"][data-state="unack"]`);
    await rig.plant.plcs[2]!.server.close(); // the greenhouse PLC
    const second = await until("the greenhouse's alarm", async () => serverAlarm("greenhouse"), 30_000);
    const listed = await rowsListed(page);
    expect(listed.map((r) => r.id)).not.toContain(second.id);
    const unackedListed = listed.filter((r) => r.state === "unack" || r.state === "rtn_unack").map((r) => r.id);
    expect(await page.textContent("#alarms-ack-all")).toBe(`Acknowledge all listed (${unackedListed.length})`);

    // From the keyboard: the button, Enter.
    await page.focus("#alarms-ack-all");
    const request = page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/api/alarms/ack"));
    await page.keyboard.press("Enter");
    expect((await request).postDataJSON()).toEqual({ ids: unackedListed });
    await until("the status line", async () => (await page.textContent("#alarms-ok"))?.includes(`${unackedListed.length} of ${unackedListed.length} listed`));
    expect(serverAlarm("substation")!.state).toBe("ack");
    expect(serverAlarm("substation")!.ackedBy).toBe("operator");
    expect(serverAlarm("greenhouse")!.state).toBe("unack"); // not in view: not acknowledged
    expect(await page.getAttribute(`#alarms-table tr[data-id="${first.id}"]`, "data-state")).toBe("ack");
    // Nothing left to acknowledge: the button is disabled, and the keyboard is in the alarm list, not on the page's body.
    expect(await page.isDisabled("#alarms-ack-all")).toBe(true);
    expect(await focusedId(page)).toBe("alarms-heading");
    await page.close();
  });

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
