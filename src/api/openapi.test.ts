import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi.ts";

/** The OpenAPI description against what the routes accept and answer (it is written by hand route by route). */
const doc = openApiDocument("test") as { paths: Record<string, Record<string, any>> };

describe("openApiDocument", () => {
  it("clearing an override needs a body with a reason, as the route does; acknowledge-all is listed", () => {
    const clear = doc.paths["/api/overrides/{id}"]!.delete;
    expect(clear.requestBody.required).toBe(true);
    expect(clear.requestBody.content["application/json"].schema.required).toEqual(["reason"]);
    expect(doc.paths["/api/alarms/ack"]!.post.requestBody.content["application/json"].schema.required).toEqual(["ids"]);
  });

  it("the audit's paging: before_id and limit, the headers that say a list is cut; 421 everywhere", () => {
    const audit = doc.paths["/api/audit"]!.get;
    expect(audit.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(["from", "to", "format", "before_id", "limit"]));
    expect(Object.keys(audit.responses["200"].headers)).toEqual(["x-truncated", "x-total-count", "x-next-cursor"]);
    expect(Object.keys(doc.paths["/api/alarms"]!.get.responses["200"].headers)).toEqual(["x-truncated", "x-total-count"]);
    for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) expect([path, method, op.responses["421"] !== undefined]).toEqual([path, method, true]);
  });
});
