import { X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { isIP } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import { extractFullyQualifiedDomainName, makeSubject, OPCUACertificateManager } from "node-opcua";

/**
 * chaleur's OPC UA certificate stores. node-opcua defaults to a per-user folder shared by every node-opcua
 * program on the machine (~/.config/node-opcua-default-nodejs), which would mix the plant simulator's and the
 * controller's keys and trust lists; every store here lives under a data folder the caller chose.
 */

export interface StoreOptions {
  /** Trust every certificate on first sight (the demo only: it is no access control at all). */
  autoAccept: boolean;
  /**
   * Watch trusted/ and rejected/ so that a certificate an operator moves by hand counts at once (a long-running
   * server). Without it the folders are read when the store initialises and on reloadCertificates().
   */
  watchFiles: boolean;
}

/** A PKI store at `<dataDir>/<name>`: own/ (certificate and private key), trusted/, rejected/, issuers/. */
export function makeCertificateManager(dataDir: string, name: string, opts: StoreOptions): OPCUACertificateManager {
  const rootFolder = join(dataDir, name);
  mkdirSync(rootFolder, { recursive: true });
  return new OPCUACertificateManager({ rootFolder, name, automaticallyAcceptUnknownCertificate: opts.autoAccept, disableFileWatchers: !opts.watchFiles });
}

/**
 * Reads a certificate file, PEM or DER, as DER (what node-opcua's trust list takes). Only the first
 * certificate of a PEM chain is taken: the trust list holds application instance certificates.
 */
export function readCertificateDer(file: string): Buffer {
  if (!existsSync(file)) throw new Error(`certificate file ${file} not found`);
  const bytes = readFileSync(file);
  const text = bytes.toString("latin1");
  const m = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/.exec(text);
  if (m) return Buffer.from(m[1]!.replace(/\s+/g, ""), "base64");
  // DER: an ASN.1 SEQUENCE (0x30) with a long-form length
  if (bytes[0] === 0x30 && bytes.length > 64) return bytes;
  throw new Error(`certificate file ${file} is neither PEM nor DER`);
}

/** Adds each certificate file to the store's trusted list (idempotent). */
export async function trustCertificateFiles(cm: OPCUACertificateManager, files: readonly string[]): Promise<void> {
  for (const f of files) await cm.trustCertificate(readCertificateDer(f));
}

/**
 * Creates the application's self-signed certificate if it is not there yet, as node-opcua would on first
 * connect, but ahead of time so that it can be handed to the other side's trust list before any connection.
 */
export async function ensureOwnCertificate(cm: OPCUACertificateManager, certificateFile: string, applicationName: string, applicationUri: string): Promise<void> {
  await cm.initialize();
  if (existsSync(certificateFile)) return;
  const host = hostname();
  await cm.createSelfSignedCertificate({
    applicationUri,
    dns: [...new Set([host, "localhost"])],
    outputFile: certificateFile,
    subject: makeSubject(applicationName, host),
    startDate: new Date(),
    validity: 365 * 5,
  });
}

export interface ServerIdentity {
  applicationUri: string;
  applicationName: string;
  /** The host the endpoints advertise: the certificate must name it, or strict clients refuse the server. */
  host: string;
}

/**
 * The server's self-signed certificate, made ahead of node-opcua (which would make one only when the file is missing,
 * naming neither 127.0.0.1 nor localhost) and made again when it no longer fits: its application URI or its names
 * differ from what the server advertises (the host changed, or the certificate predates these names), or it expired.
 * Returns whether an existing certificate was replaced: clients that trusted the old one must trust the new one.
 */
export async function ensureServerCertificate(cm: OPCUACertificateManager, certificateFile: string, id: ServerIdentity): Promise<"kept" | "created" | "renewed"> {
  await cm.initialize();
  const existed = existsSync(certificateFile);
  if (existed && certificateFits(readFileSync(certificateFile), id)) return "kept";
  const host = hostname();
  const fqdn = await extractFullyQualifiedDomainName();
  const ips = Object.values(networkInterfaces()).flatMap((l) => l ?? []).filter((i) => i.family === "IPv4").map((i) => i.address);
  const named = isIP(id.host) ? [] : [id.host];
  const numeric = isIP(id.host) ? [id.host] : [];
  await cm.createSelfSignedCertificate({
    applicationUri: id.applicationUri,
    dns: [...new Set([...named, host, fqdn, "localhost"])],
    ip: [...new Set([...numeric, "127.0.0.1", ...ips])],
    outputFile: certificateFile,
    subject: makeSubject(id.applicationName, host),
    startDate: new Date(),
    validity: 365 * 5,
  });
  return existed ? "renewed" : "created";
}

function certificateFits(pem: Buffer, id: ServerIdentity): boolean {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return false;
  }
  const san = (cert.subjectAltName ?? "").split(", ");
  const namesHost = isIP(id.host) ? cert.checkIP(id.host) !== undefined : cert.checkHost(id.host) !== undefined;
  return san.includes(`URI:${id.applicationUri}`) && namesHost && Date.parse(cert.validTo) > Date.now();
}
