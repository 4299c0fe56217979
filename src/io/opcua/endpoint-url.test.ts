import { afterAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadWireConfig } from "../../config/wire-config.ts";
import { createOpcuaMeasurementPort } from "./client.ts";
import { tmpDataDir } from "./test-helpers.ts";

const tmp = tmpDataDir("endpoint-url");
afterAll(() => tmp.remove());

const demo = readFileSync("config/chaleur-demo.yaml", "utf8");

/** The config loader's verdict on `url`: undefined when accepted, else its message. */
function configError(url: string): string | undefined {
  const text = demo.replace("endpoint: opc.tcp://127.0.0.1:4840", `endpoint: ${JSON.stringify(url)}`);
  if (text === demo) throw new Error("the demo config's endpoint line moved: update this test");
  const file = join(tmp.dir, "wire.yaml");
  writeFileSync(file, text);
  try {
    expect(loadWireConfig(file).opcua.endpoint).toBe(url);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The client's verdict on `url` (it checks before touching the network): undefined when accepted. */
async function clientError(url: string): Promise<string | undefined> {
  try {
    const p = createOpcuaMeasurementPort(
      { endpointUrl: url, securityMode: "None", securityPolicy: "None", dataDir: tmp.dir, tags: [{ nodeId: "ns=1;s=x.y", measurement: "x.y", min: 0, max: 1, maxAgeS: 60 }] },
      Date.now,
    );
    await p.close();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe("endpoint URLs: the config and the client agree", () => {
  it.each(["opc.tcp://127.0.0.1:4840", "opc.tcp://plant-gw:4840/UA/Server", "opc.tcp://localhost", "opc.tcp://scada.plant.example:48010/"])("both accept %s", async (url) => {
    expect(configError(url)).toBeUndefined();
    expect(await clientError(url)).toBeUndefined();
  });

  it.each([
    // node-opcua 2.182.2 looks "[::1]" up as a host name (ENOTFOUND): refused with the reason (opcua.test.ts checks it)
    ["opc.tcp://[::1]:4840", /IPv6 literal/],
    ["http://x:1", /opc\.tcp:\/\/host\[:port\]\[\/path\] URL$/],
    ["opc.tcp://", /opc\.tcp:\/\/host\[:port\]\[\/path\] URL$/],
    ["opc.tcp://host:port", /opc\.tcp:\/\/host\[:port\]\[\/path\] URL$/],
    ["opc.tcp://host:70000", /port from 1 to 65535$/],
    ["opc.tcp://host:0", /port from 1 to 65535$/],
    // credentials in the URL would be ignored by node-opcua, and passwords do not belong in the config file
    ["opc.tcp://operator:secret@host:4840", /opc\.tcp:\/\/host\[:port\]\[\/path\] URL$/],
    ["opc.tcp://plant gw:4840", /opc\.tcp:\/\/host\[:port\]\[\/path\] URL$/],
  ])("both refuse %s, saying why", async (url, why) => {
    const c = configError(url);
    expect(c).toMatch(/wire\.yaml: opcua\.endpoint: expected an opc\.tcp:\/\/host/);
    expect(c).toMatch(why);
    const client = await clientError(url);
    expect(client).toMatch(new RegExp(`^OPC UA: endpoint '${url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}' is not an opc\\.tcp://host`));
    expect(client).toMatch(why);
  });

  it("sharing the check does not make the config loader load node-opcua", () => {
    // A fresh process: this one has loaded node-opcua through client.ts already.
    const script = `import { createRequire } from "node:module";
      const require = createRequire(import.meta.url);
      await import("./src/config/wire-config.ts");
      console.log(Object.keys(require.cache).filter((k) => k.includes("/node-opcua")).length);`;
    expect(execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8" }).trim()).toBe("0");
  });
});
