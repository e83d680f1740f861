// Signed acquisition files (HMAC-SHA256 with the project's HMAC key), as Edge Impulse devices send.
export type AcquisitionPayload = {
  device_name?: string;
  device_type: string;
  interval_ms: number;
  sensors: { name: string; units: string }[];
  values: number[][] | number[];
};

const ZEROS = "0".repeat(64);

function hex(buf: ArrayBuffer): string {
  return Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function hmacSha256Hex(key: string, text: string): Promise<string> {
  const enc = new TextEncoder();
  const cryptoKey = await crypto.subtle.importKey("raw", enc.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return hex(await crypto.subtle.sign("HMAC", cryptoKey, enc.encode(text)));
}

/** The JSON text of a signed acquisition file: sign with 64 zeros in place, then put the digest there. */
export async function signedAcquisitionJson(
  payload: AcquisitionPayload,
  hmacKey: string,
  iat = Math.floor(Date.now() / 1000),
): Promise<string> {
  const body = { protected: { ver: "v1", alg: "HS256", iat }, signature: ZEROS, payload };
  const text = JSON.stringify(body);
  const signature = await hmacSha256Hex(hmacKey, text);
  // The only 64-zero string is the signature: the protected header and payload come before/after it verbatim.
  const at = text.indexOf(`"signature":"${ZEROS}"`) + '"signature":"'.length;
  return text.slice(0, at) + signature + text.slice(at + 64);
}
