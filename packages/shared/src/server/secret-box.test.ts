import { describe, expect, it } from "vitest";
import { createSecretBox, SecretBoxError } from "./secret-box.js";

describe("secret box (AES-256-GCM)", () => {
  const box = createSecretBox("a-secrets-key-of-some-length");
  it("round-trips, never shows the plain text, and uses a fresh IV each time", () => {
    const a = box.seal("cal_live_abc123");
    const b = box.seal("cal_live_abc123");
    expect(a).not.toContain("cal_live_abc123");
    expect(a).not.toBe(b);
    expect(box.open(a)).toBe("cal_live_abc123");
  });
  it("refuses another key, a changed value and garbage", () => {
    const sealed = box.seal("cal_live_abc123");
    expect(() => createSecretBox("another-secrets-key-entirely").open(sealed)).toThrow(SecretBoxError);
    const parts = sealed.split(":");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join(":"))).toThrow(SecretBoxError);
    expect(() => box.open("plain")).toThrow(SecretBoxError);
  });
});
