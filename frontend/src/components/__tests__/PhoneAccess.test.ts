import { describe, expect, it } from "vitest";
import { isLoopback, phoneOrigin } from "../Phone/PhoneAccess";

const at = (origin: string) => {
  const u = new URL(origin);
  return { protocol: u.protocol, hostname: u.hostname, port: u.port, origin: u.origin };
};

describe("the phone link's origin", () => {
  it("uses a LAN address instead of loopback only over HTTPS", () => {
    expect(phoneOrigin(at("https://127.0.0.1:8000"), ["192.168.1.5"], null)).toBe("https://192.168.1.5:8000");
    expect(phoneOrigin(at("http://127.0.0.1:8000"), ["192.168.1.5"], null)).toBe("http://127.0.0.1:8000");
    expect(phoneOrigin(at("https://studio.lan"), ["192.168.1.5"], null)).toBe("https://studio.lan");
  });

  it("prefers the public URL", () => {
    expect(phoneOrigin(at("http://localhost:8000"), [], "https://studio.example.org")).toBe(
      "https://studio.example.org",
    );
  });

  it("knows loopback names", () => {
    expect(["localhost", "127.0.0.1", "127.1.2.3", "[::1]"].every(isLoopback)).toBe(true);
    expect(isLoopback("192.168.1.5")).toBe(false);
  });
});
