/**
 * The one definition of an OPC UA endpoint URL chaleur accepts, shared by the config schema and the client so that
 * a URL the config accepts is never refused at connect time (or the reverse). No imports: the config loader uses it
 * and must not pay for loading node-opcua.
 */

/**
 * Host: anything up to the port or path, but no brackets (see below), query or whitespace, and no user:password@
 * (node-opcua ignores it when logging in, and a password does not belong in the config file).
 */
const ENDPOINT = /^opc\.tcp:\/\/([^/:?#@[\]\s]+)(?::(\d{1,5}))?(\/\S*)?$/;

const FORM = "an opc.tcp://host[:port][/path] URL";

/**
 * What a refused endpoint URL should have been, phrased to follow "expected" or "is not"; undefined when `url` is
 * accepted.
 */
export function endpointUrlExpected(url: string): string | undefined {
  // node-opcua 2.182.2 hands the bracketed host ("[::1]") to DNS, which fails with ENOTFOUND: refusing it here
  // says why when the config is read, instead of "unreachable" at every connection attempt.
  if (/^opc\.tcp:\/\/\[/.test(url)) return `${FORM} with a host name or IPv4 address (node-opcua cannot connect to an IPv6 literal: use a host name that resolves to it)`;
  const m = ENDPOINT.exec(url);
  if (!m) return FORM;
  const port = m[2];
  if (port !== undefined && !(Number(port) >= 1 && Number(port) <= 65535)) return `${FORM} with a port from 1 to 65535`;
  return undefined;
}
