import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** The demo config moved to a test's ports and folders (paths made absolute: the copy lives elsewhere). */
export function demoConfigFile(dir: string, name: string, o: { opcuaPort: number; modbusPorts: number[]; httpPort: number; ioPeriodS: number; extra?: (s: string) => string }): string {
  let s = readFileSync(join(root, "config/chaleur-demo.yaml"), "utf8")
    .replace("model: ../models/", `model: ${root}/models/`)
    .replace(/data_dir: \S+/, `data_dir: ${join(dir, name)}`)
    .replace(/drop_folder: \S+/, `drop_folder: ${join(dir, name, "drop")}`)
    .replace("opc.tcp://127.0.0.1:4840", `opc.tcp://127.0.0.1:${o.opcuaPort}`)
    .replace(/map: \.\.\/plc\//g, `map: ${root}/plc/`)
    .replace("port: 5020", `port: ${o.modbusPorts[0]}`)
    .replace("port: 5021", `port: ${o.modbusPorts[1]}`)
    .replace("port: 5022", `port: ${o.modbusPorts[2]}`)
    .replace("http: { host: 127.0.0.1, port: 8080 }", `http: { host: 127.0.0.1, port: ${o.httpPort} }`)
    .replace("io_period_s: 10", `io_period_s: ${o.ioPeriodS}`);
  if (o.extra) s = o.extra(s);
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, s);
  return f;
}
