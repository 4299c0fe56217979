/**
 * node-opcua's errors are multi-line, written for its own developers, and the same fault surfaces differently at
 * each stage. These turn them into the one line an operator can act on, naming the endpoint and the fix.
 */

export interface ErrorContext {
  endpointUrl: string;
  username?: string;
  /** chaleur's own certificate (what the server must trust). */
  clientCertificateFile: string;
  /** Where the client keeps trusted server certificates, and where node-opcua drops rejected ones. */
  trustedFolder: string;
  rejectedFolder: string;
}

function firstLine(message: string): string {
  return message.split("\n")[0]!.replace(/\s+/g, " ").trim();
}

function statusName(message: string): string | undefined {
  return /\b((?:Bad|Uncertain)[A-Za-z]+)\b/.exec(message)?.[1];
}

/** Explains a failure of connect() or createSession(). */
export function explainConnectError(err: unknown, ctx: ErrorContext): string {
  const message = err instanceof Error ? err.message : String(err);
  const url = ctx.endpointUrl;
  const status = statusName(message);
  if (/server Certificate verification failed/i.test(message)) {
    return `OPC UA: server certificate of ${url} is not trusted (${status ?? "BadCertificateUntrusted"}): after checking it, move it from ${ctx.rejectedFolder} to ${ctx.trustedFolder}`;
  }
  if (/rejected by server/i.test(message) && (status === "BadSecurityChecksFailed" || status === "BadCertificateUntrusted" || status === "BadCertificateInvalid")) {
    return `OPC UA: ${url} does not trust chaleur's certificate (${status}): add ${ctx.clientCertificateFile} to the server's trusted certificates`;
  }
  if (status === "BadUserAccessDenied" || status === "BadIdentityTokenRejected" || status === "BadIdentityTokenInvalid") {
    return ctx.username !== undefined ? `OPC UA: user '${ctx.username}' rejected by ${url}: ${status}` : `OPC UA: anonymous login rejected by ${url}: ${status} (configure a username and password)`;
  }
  const policy = /Cannot find (\w+) user token policy/i.exec(message)?.[1];
  if (policy) {
    return policy.toUpperCase() === "ANONYMOUS"
      ? `OPC UA: anonymous login rejected by ${url}: the endpoint offers none (configure a username and password)`
      : `OPC UA: ${url} offers no ${policy.toLowerCase()} login on this endpoint (check the security mode)`;
  }
  const sys = /\b(ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ECONNRESET|EAI_AGAIN)\b/.exec(message)?.[1];
  if (sys) return `OPC UA: ${url} unreachable (${sys})`;
  if (/cannot find endpoint|no endpoint|BadSecurityPolicyRejected|BadSecurityModeRejected/i.test(message)) {
    return `OPC UA: ${url} offers no endpoint for the configured security mode and policy (${status ?? firstLine(message)})`;
  }
  return `OPC UA: ${url}: ${firstLine(message)}`;
}
