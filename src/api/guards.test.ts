import { describe, expect, it } from "vitest";
import { hostname, networkInterfaces } from "node:os";
import { allowedHostSet, sameOrigin, splitHost } from "./guards.ts";

/** The Host allow-list's names per binding, and what counts as the same origin (guards.ts). */
describe("allowedHostSet", () => {
  it("loopback binding: the loopback names, the machine's name, the configured ones; no other address", () => {
    const s = allowedHostSet({ boundHost: "127.0.0.1", allowedHosts: ["HMI.plant.example.", "[fd00::5]"] });
    for (const h of ["127.0.0.1", "localhost", "::1", hostname().toLowerCase(), "hmi.plant.example", "fd00::5"]) expect([h, s.has(h)]).toEqual([h, true]);
    expect(s.has("0.0.0.0")).toBe(false);
    expect(s.has("evil.example")).toBe(false);
  });

  it("a LAN address: that address and the machine's name, not localhost (the server does not listen there)", () => {
    const s = allowedHostSet({ boundHost: "192.0.2.10" });
    expect(s.has("192.0.2.10")).toBe(true);
    expect(s.has(hostname().toLowerCase())).toBe(true);
    if (hostname().toLowerCase() !== "localhost") expect(s.has("localhost")).toBe(false);
  });

  it("every interface (0.0.0.0): each address of the machine and the loopback names", () => {
    const s = allowedHostSet({ boundHost: "0.0.0.0" });
    const addresses = Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((a) => a.address.replace(/%.*$/, "").toLowerCase()));
    for (const a of addresses) expect([a, s.has(a)]).toEqual([a, true]);
    expect(s.has("localhost")).toBe(true);
  });
});

describe("splitHost and sameOrigin", () => {
  it("splits names, IPv4 and bracketed IPv6 with or without a port; refuses garbage", () => {
    expect(splitHost("Example.COM:8080")).toEqual({ host: "example.com", port: 8080 });
    expect(splitHost("[::1]:8080")).toEqual({ host: "::1", port: 8080 });
    expect(splitHost("127.0.0.1")).toEqual({ host: "127.0.0.1", port: null });
    for (const bad of ["", "a b", "host:port", "::1:80", "[::1"]) expect([bad, splitHost(bad)]).toEqual([bad, null]);
  });

  it("same origin: allowed host, same host and port as the request (default ports by scheme)", () => {
    const allowed = new Set(["127.0.0.1", "hmi.plant.example"]);
    expect(sameOrigin("http://127.0.0.1:8080", { host: "127.0.0.1", port: 8080 }, allowed)).toBe(true);
    expect(sameOrigin("https://hmi.plant.example", { host: "hmi.plant.example", port: null }, allowed)).toBe(true);
    expect(sameOrigin("http://hmi.plant.example", { host: "hmi.plant.example", port: 80 }, allowed)).toBe(true);
    expect(sameOrigin("http://127.0.0.1:8081", { host: "127.0.0.1", port: 8080 }, allowed)).toBe(false);
    expect(sameOrigin("http://evil.example:8080", { host: "127.0.0.1", port: 8080 }, allowed)).toBe(false);
    expect(sameOrigin("null", { host: "127.0.0.1", port: 8080 }, allowed)).toBe(false);
    expect(sameOrigin("file:///x", { host: "127.0.0.1", port: 8080 }, allowed)).toBe(false);
  });
});
