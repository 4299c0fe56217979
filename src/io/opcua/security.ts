import { MessageSecurityMode, SecurityPolicy } from "node-opcua";

/** Security settings as they are written in chaleur's config files (OPC UA's own names). */
export type SecurityModeName = "None" | "Sign" | "SignAndEncrypt";
/**
 * Basic256Sha256 only: Basic128Rsa15 and Basic256 are deprecated by the OPC Foundation, and the former needs
 * RSA PKCS#1 v1.5 decryption, which Node 20 refuses since CVE-2023-46809.
 */
export type SecurityPolicyName = "None" | "Basic256Sha256";

export const SECURITY_MODES: Record<SecurityModeName, MessageSecurityMode> = {
  None: MessageSecurityMode.None,
  Sign: MessageSecurityMode.Sign,
  SignAndEncrypt: MessageSecurityMode.SignAndEncrypt,
};

export const SECURITY_POLICIES: Record<SecurityPolicyName, SecurityPolicy> = {
  None: SecurityPolicy.None,
  Basic256Sha256: SecurityPolicy.Basic256Sha256,
};
