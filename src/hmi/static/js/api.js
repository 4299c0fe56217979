// The daemon's HTTP API (docs/api.md): same-origin cookie session, CSRF header on every write.

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let csrfToken = null;
let onUnauthorized = () => {};
let onReachable = () => {};

export function setCsrf(token) { csrfToken = token || null; }
export function onAuthLost(fn) { onUnauthorized = fn; }
/** Called with true/false each time a request reaches / fails to reach the server. */
export function onReachability(fn) { onReachable = fn; }
/** An event on the live stream reached us too: the server answers even if no request was made since one failed. */
export function noteReachable() { onReachable(true); }

/**
 * One request. Resolves with the parsed JSON body (null for 204); rejects with an ApiError carrying the server's
 * `error` text, or status 0 when the server cannot be reached. A 401 (other than a failed login) ends the session.
 */
export async function api(method, path, body) {
  const headers = { accept: "application/json" };
  const init = { method, headers, credentials: "same-origin", cache: "no-store" };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  if (method !== "GET" && method !== "HEAD" && csrfToken) headers["x-csrf-token"] = csrfToken;
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    onReachable(false);
    throw new ApiError(0, "The controller's server cannot be reached.", null);
  }
  onReachable(true);
  let data = null;
  if (res.status !== 204) {
    const text = await res.text().catch(() => "");
    if (text) {
      try { data = JSON.parse(text); } catch { data = text; }
    }
  }
  if (!res.ok) {
    let msg = data && typeof data === "object" && typeof data.error === "string" ? data.error : "";
    if (!msg) msg = res.status === 429 ? "Too many attempts: wait a moment and try again." : `The server answered ${res.status} ${res.statusText}`.trim();
    if (res.status === 401 && path !== "/api/login") onUnauthorized();
    throw new ApiError(res.status, msg, data);
  }
  return data;
}

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body);
export const del = (path, body) => api("DELETE", path, body);
