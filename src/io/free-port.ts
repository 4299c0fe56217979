import { createServer, type AddressInfo } from "node:net";

/**
 * A TCP port the OS says is free now, for servers that cannot be asked to listen on port 0 themselves
 * (node-opcua advertises the port in its endpoint URLs) and for tests that need a port before they start one.
 * Free now is not free later: callers retry on EADDRINUSE.
 */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ host, port: 0 }, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
