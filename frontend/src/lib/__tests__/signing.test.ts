import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signedAcquisitionJson } from "../signing";

const payload = {
  device_type: "TEST",
  interval_ms: 16,
  sensors: [{ name: "accX", units: "m/s2" }],
  values: [[1], [2.5]],
};

describe("signedAcquisitionJson", () => {
  it("signs the file with 64 zeros in place of the signature, as the verifier recomputes it", async () => {
    const text = await signedAcquisitionJson(payload, "secret-key", 1564128599);
    const parsed = JSON.parse(text);
    const zeroed = text.replace(parsed.signature, "0".repeat(64));
    expect(parsed.signature).toBe(createHmac("sha256", "secret-key").update(zeroed).digest("hex"));
    expect(parsed.protected).toEqual({ ver: "v1", alg: "HS256", iat: 1564128599 });
    expect(parsed.payload).toEqual(payload);
  });

  it("gives a different signature for another key", async () => {
    const a = JSON.parse(await signedAcquisitionJson(payload, "k1", 1)).signature;
    const b = JSON.parse(await signedAcquisitionJson(payload, "k2", 1)).signature;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
  });
});
