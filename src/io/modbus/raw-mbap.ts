import { connect, type Socket } from "node:net";

/**
 * Raw Modbus TCP frames over node:net, for tests that must send what a library client will not: lying MBAP
 * lengths, bad byte counts, half-closes. Every wait is bounded, so a server that stays silent fails the test
 * instead of hanging it.
 */

export interface Frame {
  transaction: number;
  unit: number;
  pdu: Buffer;
}

export interface FrameOptions {
  transaction?: number;
  unit?: number;
  protocol?: number;
  /** MBAP length field; default the true one (unit id + PDU). */
  length?: number;
}

/** One request frame: MBAP header, unit id, PDU. */
export function frame(pdu: readonly number[] | Buffer, o: FrameOptions = {}): Buffer {
  const body = Buffer.from(pdu);
  const head = Buffer.alloc(7);
  head.writeUInt16BE(o.transaction ?? 1, 0);
  head.writeUInt16BE(o.protocol ?? 0, 2);
  head.writeUInt16BE(o.length ?? body.length + 1, 4);
  head[6] = o.unit ?? 1;
  return Buffer.concat([head, body]);
}

/** A PDU of function code + 16-bit fields (address, quantity or value). */
export function pdu(fc: number, ...fields: number[]): Buffer {
  const out = Buffer.alloc(1 + 2 * fields.length);
  out[0] = fc;
  fields.forEach((f, i) => out.writeUInt16BE(f, 1 + 2 * i));
  return out;
}

/** FC15/FC16 PDU with a byte count of the caller's choosing (the true one unless told). */
export function writeMultiple(fc: 15 | 16, address: number, quantity: number, data: readonly number[], byteCount = data.length): Buffer {
  return Buffer.concat([pdu(fc, address, quantity), Buffer.from([byteCount, ...data])]);
}

export class RawConnection {
  readonly socket: Socket;
  private received = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    const changed = () => this.wake.splice(0).forEach((w) => w());
    socket.on("data", (d: Buffer) => {
      this.received = Buffer.concat([this.received, d]);
      changed();
    });
    // FIN or reset from the server: either way the server has closed its side.
    for (const ev of ["end", "close"]) socket.on(ev, () => ((this.ended = true), changed()));
    socket.on("error", () => undefined);
  }

  static open(port: number, host = "127.0.0.1", timeoutMs = 5000): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const s = connect({ host, port, allowHalfOpen: true });
      const timer = setTimeout(() => (s.destroy(), reject(new Error(`no connection to ${host}:${port} within ${timeoutMs} ms`))), timeoutMs);
      s.once("connect", () => (clearTimeout(timer), resolve(new RawConnection(s))));
      s.once("error", (e) => (clearTimeout(timer), reject(e)));
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Bytes received so far, framed or not. */
  get bytesReceived(): number {
    return this.received.length;
  }

  get serverClosed(): boolean {
    return this.ended;
  }

  /** The next response frame, or "closed" when the server closes before one is complete. */
  async next(timeoutMs = 5000): Promise<Frame | "closed"> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.received.length >= 6) {
        const total = 6 + this.received.readUInt16BE(4);
        if (this.received.length >= total) {
          const f = { transaction: this.received.readUInt16BE(0), unit: this.received[6]!, pdu: Buffer.from(this.received.subarray(7, total)) };
          this.received = this.received.subarray(total);
          return f;
        }
      }
      if (this.ended) return "closed";
      const left = deadline - performance.now();
      if (left <= 0) throw new Error(`no answer and no close within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.wake.push(() => (clearTimeout(t), r()));
      });
    }
  }

  /** Sends one request PDU and returns the response PDU (throws if the server closes instead). */
  async ask(request: Buffer, o: FrameOptions = {}): Promise<Buffer> {
    this.send(frame(request, o));
    const f = await this.next();
    if (f === "closed") throw new Error("the server closed the connection instead of answering");
    return f.pdu;
  }

  /** Resolves once the server has closed its side (bounded). */
  async closedByServer(timeoutMs = 5000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!this.ended && performance.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, deadline - performance.now());
        this.wake.push(() => (clearTimeout(t), r()));
      });
    }
    return this.ended;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
