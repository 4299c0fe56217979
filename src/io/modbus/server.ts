import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { PlcMap } from "../../config/plc-schema.ts";
import { declaredPduLength, MAX_PDU_BYTES, servePdu } from "./pdu.ts";
import type { PlcLogic } from "./plc-logic.ts";

export interface PlcServerOptions {
  map: PlcMap;
  logic: PlcLogic;
  /** Default 127.0.0.1: the simulator's PLCs are for this machine unless asked otherwise. */
  host?: string;
  /** 0 picks a free port (see PlcServer.port for the one chosen). */
  port: number;
  /** A connection with no complete request for this long is closed (ms, default 60 000), as PLCs do. */
  idleTimeoutMs?: number;
  /** Connections served at once (default 8); one more is closed as soon as it is accepted. */
  maxConnections?: number;
}

export interface PlcServer {
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;
export const DEFAULT_MAX_CONNECTIONS = 8;

/** MBAP header: transaction id, protocol id, length (unit id + PDU); the unit id byte follows. */
const MBAP_BYTES = 6;

/** startPlcServer could not listen; `code` is Node's (EADDRINUSE, EACCES, …) so a CLI can say it in one line. */
export class PlcListenError extends Error {
  readonly code: string;
  readonly host: string;
  readonly port: number;
  constructor(plc: string, host: string, port: number, cause: NodeJS.ErrnoException) {
    const code = cause.code ?? "UNKNOWN";
    super(`PLC '${plc}' cannot listen on ${host}:${port}: ${LISTEN_PROBLEMS[code] ?? cause.message.split("\n")[0]} (${code})`);
    this.name = "PlcListenError";
    this.code = code;
    this.host = host;
    this.port = port;
  }
}

const LISTEN_PROBLEMS: Record<string, string> = {
  EADDRINUSE: "the port is already in use",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "the address is not one of this machine's",
};

/**
 * Serves one PLC's four tables over Modbus TCP from a PlcLogic (the plant simulator's PLCs, and the tests').
 *
 * Our own MBAP framing on node:net rather than modbus-serial's ServerTCP, which in 8.0.25 answers bit reads over
 * 2000 with 02, ignores FC15/16 whose byte count disagrees with the quantity, acknowledges FC5 values other than
 * 0xFF00/0x0000, keeps parsing after an MBAP length that lies, loses the answer to a request followed by a
 * half-close, and has no idle timeout or connection cap (plc/README.md, "Server implementation").
 *
 * - Requests for another unit id get no answer, as a gateway without that unit would.
 * - A frame whose MBAP length disagrees with its PDU (or protocol id ≠ 0, or a length beyond 254) closes the
 *   connection without an answer: nothing after it on that stream can be trusted to start a frame.
 * - Requests are answered in order, each whole; a client that half-closes still gets its answers, then a FIN.
 */
export function startPlcServer(opts: PlcServerOptions): Promise<PlcServer> {
  const host = opts.host ?? "127.0.0.1";
  const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  const sockets = new Set<Socket>();
  const state = { closing: false };
  // allowHalfOpen: a master's FIN after its request must not close our side before the answer is out.
  const server = createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    if (state.closing || sockets.size >= maxConnections) {
      socket.on("error", () => undefined);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    serveConnection(socket, opts, idleMs);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      // Nothing is listening after a failed listen; close() only makes sure (and its "not running" is expected).
      server.close(() => undefined);
      reject(new PlcListenError(opts.map.plc, host, opts.port, e));
    });
    server.listen({ host, port: opts.port }, () => {
      server.removeAllListeners("error");
      // Accept errors (e.g. EMFILE) must not crash the simulator; the master retries its connection.
      server.on("error", () => undefined);
      resolve({ port: (server.address() as AddressInfo).port, close: closer(server, sockets, state) });
    });
  });
}

function closer(server: Server, sockets: Set<Socket>, state: { closing: boolean }): () => Promise<void> {
  let closed: Promise<void> | null = null;
  return () =>
    (closed ??= new Promise<void>((done) => {
      // A connection accepted while closing is turned away too, or server.close() would wait for it.
      state.closing = true;
      server.close(() => done());
      for (const s of sockets) s.destroy();
    }));
}

function serveConnection(socket: Socket, opts: PlcServerOptions, idleMs: number): void {
  const unitId = opts.map.unitId;
  let pending: Buffer = Buffer.alloc(0);
  // Idle means no complete request: a partial frame trickling in does not keep a connection slot forever.
  const idle = setTimeout(() => socket.destroy(), idleMs);
  socket.on("close", () => clearTimeout(idle));
  // A master resetting its connection is normal life for a PLC, not an error to crash on.
  socket.on("error", () => undefined);
  socket.on("end", () => {
    // The master sent all it will send; every complete request in it has been answered (synchronously, below).
    if (!socket.destroyed) socket.end();
  });
  socket.on("data", (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= MBAP_BYTES) {
      const transaction = pending.readUInt16BE(0);
      const protocol = pending.readUInt16BE(2);
      const length = pending.readUInt16BE(4);
      if (protocol !== 0 || length < 2 || length > MAX_PDU_BYTES + 1) return void socket.destroy();
      if (pending.length < MBAP_BYTES + length) return; // the rest of this frame is still on its way
      const unit = pending[MBAP_BYTES]!;
      const pdu = pending.subarray(MBAP_BYTES + 1, MBAP_BYTES + length);
      pending = pending.subarray(MBAP_BYTES + length);
      const declared = declaredPduLength(pdu);
      if (declared !== null && declared !== pdu.length) return void socket.destroy();
      idle.refresh();
      if (unit !== unitId) continue;
      const response = servePdu(opts.logic, pdu);
      const header = Buffer.alloc(MBAP_BYTES + 1);
      header.writeUInt16BE(transaction, 0);
      header.writeUInt16BE(response.length + 1, 4);
      header[MBAP_BYTES] = unit;
      // A master that sends without reading: stop reading until it has taken our answers (bounded memory).
      if (socket.writable && !socket.write(Buffer.concat([header, response]))) {
        socket.pause();
        socket.once("drain", () => socket.resume());
      }
    }
  });
}
