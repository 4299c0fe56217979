import { createRequire } from "node:module";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";

/**
 * Runs `module.exports[fn](arg)` of a CommonJS module on a worker thread and waits for it synchronously, at most
 * `deadlineMs`: a pure-JS solver that ignores its own time limit inside a long simplex (javascript-lp-solver checks
 * its timeout only between branch-and-bound nodes) is stopped by terminating the thread. The caller stays
 * synchronous, as the Solver interface is.
 */
export type DeadlineResult<T> = { done: true; value: T } | { done: false; reason: "deadline" | "error"; detail: string };

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { lib, fn, arg, flag, port } = workerData;
let msg;
try { msg = { ok: true, value: require(lib)[fn](arg) }; }
catch (e) { msg = { ok: false, detail: String(e && e.message || e) }; }
port.postMessage(msg);
Atomics.store(flag, 0, 1);
Atomics.notify(flag, 0);
`;

export function callWithDeadline<T>(moduleName: string, fn: string, arg: unknown, deadlineMs: number): DeadlineResult<T> {
  const lib = createRequire(import.meta.url).resolve(moduleName);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { lib, fn, arg, flag, port: port2 }, transferList: [port2] });
  try {
    // The message is posted before the flag is set, so once the flag is 1 it is waiting on port1.
    if (Atomics.wait(flag, 0, 0, deadlineMs) === "timed-out") return { done: false, reason: "deadline", detail: `stopped after ${deadlineMs} ms` };
    const m = receiveMessageOnPort(port1)?.message as { ok: boolean; value?: T; detail?: string } | undefined;
    if (!m) return { done: false, reason: "error", detail: "the worker finished without an answer" };
    return m.ok ? { done: true, value: m.value as T } : { done: false, reason: "error", detail: m.detail ?? "unknown error" };
  } finally {
    void worker.terminate();
    port1.close();
  }
}
