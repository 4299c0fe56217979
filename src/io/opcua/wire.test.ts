import { describe, expect, it } from "vitest";
import { DataType, DataValue, StatusCodes, Variant, VariantArrayType } from "node-opcua";
import { rawSample, wireValue } from "./data-value.ts";
import { explainConnectError, type ErrorContext } from "./errors.ts";

const ctx: ErrorContext = {
  endpointUrl: "opc.tcp://localhost:4840",
  username: "operator",
  clientCertificateFile: "/var/lib/chaleur/pki/own/certs/client_certificate.pem",
  trustedFolder: "/var/lib/chaleur/pki/trusted/certs",
  rejectedFolder: "/var/lib/chaleur/pki/rejected",
};

// Messages as node-opcua 2.182.2 produces them (captured over loopback).
describe("connection errors as one line", () => {
  it("names the user for a refused password, or says the endpoint wants one", () => {
    expect(explainConnectError(new Error("BadUserAccessDenied (0x801f0000)"), ctx)).toBe("OPC UA: user 'operator' rejected by opc.tcp://localhost:4840: BadUserAccessDenied");
    expect(explainConnectError(new Error("BadIdentityTokenRejected (0x80210000)"), { ...ctx, username: undefined })).toBe(
      "OPC UA: anonymous login rejected by opc.tcp://localhost:4840: BadIdentityTokenRejected (configure a username and password)",
    );
  });

  it("says which side distrusts which certificate, and where the fix goes", () => {
    expect(explainConnectError(new Error("server Certificate verification failed with err BadCertificateUntrusted (0x801a0000)"), ctx)).toBe(
      "OPC UA: server certificate of opc.tcp://localhost:4840 is not trusted (BadCertificateUntrusted): after checking it, move it from /var/lib/chaleur/pki/rejected to /var/lib/chaleur/pki/trusted/certs",
    );
    expect(explainConnectError(new Error("The connection has been rejected by server: BadSecurityChecksFailed (0x80130000)"), ctx)).toBe(
      "OPC UA: opc.tcp://localhost:4840 does not trust chaleur's certificate (BadSecurityChecksFailed): add /var/lib/chaleur/pki/own/certs/client_certificate.pem to the server's trusted certificates",
    );
  });

  it("reduces node-opcua's multi-line unreachable message to the system error", () => {
    const msg = "The connection cannot be established with server opc.tcp://localhost:4840 .\nPlease check that the server is up and running or your network configuration.\nErr = (connect ECONNREFUSED 127.0.0.1:4840)";
    expect(explainConnectError(new Error(msg), ctx)).toBe("OPC UA: opc.tcp://localhost:4840 unreachable (ECONNREFUSED)");
    expect(explainConnectError(new Error("connect to opc.tcp://localhost:4840: no answer within 10 s (ETIMEDOUT)"), ctx)).toBe("OPC UA: opc.tcp://localhost:4840 unreachable (ETIMEDOUT)");
  });

  it("keeps anything else to its first line", () => {
    expect(explainConnectError(new Error("something odd\n  at stack"), ctx)).toBe("OPC UA: opc.tcp://localhost:4840: something odd");
  });
});

describe("values off the wire", () => {
  const dv = (value: Variant, statusCode = StatusCodes.Good, sourceTimestamp: Date | null = new Date(1000)) => new DataValue({ value, statusCode, sourceTimestamp, serverTimestamp: new Date(2000) });

  it("passes numbers and booleans through, decodes 64-bit integers, leaves the rest for the type check", () => {
    expect(wireValue(dv(new Variant({ dataType: DataType.Double, value: 21.5 })))).toBe(21.5);
    expect(wireValue(dv(new Variant({ dataType: DataType.Boolean, value: true })))).toBe(true);
    expect(wireValue(dv(new Variant({ dataType: DataType.Int64, arrayType: VariantArrayType.Scalar, value: [0xffffffff, 0xfffffffe] })))).toBe(-2);
    expect(wireValue(dv(new Variant({ dataType: DataType.UInt64, arrayType: VariantArrayType.Scalar, value: [1, 5] })))).toBe(2 ** 32 + 5);
    expect(wireValue(dv(new Variant({ dataType: DataType.String, value: "12" })))).toBe("12");
    expect(wireValue(dv(new Variant({ dataType: DataType.Null })))).toBeNull();
    expect(wireValue(dv(new Variant({ dataType: DataType.Double, arrayType: VariantArrayType.Array, value: new Float64Array([1, 2]) })))).toEqual([1, 2]);
  });

  it("takes the source timestamp, falls back to the server's, and calls a status that is not Good bad", () => {
    expect(rawSample(dv(new Variant({ dataType: DataType.Double, value: 1 })), 5000)).toEqual({ value: 1, sourceMs: 1000, receivedMs: 5000, sourceGood: true });
    expect(rawSample(dv(new Variant({ dataType: DataType.Double, value: 1 }), StatusCodes.Good, null), 5000).sourceMs).toBe(2000);
    expect(rawSample(dv(new Variant({ dataType: DataType.Double, value: 1 }), StatusCodes.UncertainLastUsableValue), 5000)).toMatchObject({ sourceGood: false, sourceDetail: "source status UncertainLastUsableValue" });
    const noTime = new DataValue({ value: new Variant({ dataType: DataType.Double, value: 1 }) });
    expect(rawSample(noTime, 5000)).toMatchObject({ sourceGood: false, sourceDetail: "no source or server timestamp" });
  });
});
