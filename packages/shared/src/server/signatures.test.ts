import { describe, expect, it } from "vitest";
import { signCalcom, signRetell, signStripe, verifyCalcom, verifyRetell, verifyStripe, signTwilio, verifyTwilio } from "./signatures.js";

const buf = (s: string) => Buffer.from(s);

describe("Retell signatures", () => {
  it("match the SDK's own test vector", () => {
    expect(signRetell('{"event":"call_ended"}', "test-api-key", 1700000000000)).toBe(
      "v=1700000000000,d=07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e",
    );
  });

  it("accept a fresh signature and refuse changed bodies, wrong keys, stale or future times, bad headers", () => {
    const now = 1_800_000_000_000;
    const body = buf('{"event":"call_started"}');
    const header = signRetell(body, "key", now - 1000);
    expect(verifyRetell(body, header, "key", now)).toEqual({ ok: true, timestamp: now - 1000 });
    expect(verifyRetell(buf('{"event":"call_startee"}'), header, "key", now)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyRetell(body, header, "other", now)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyRetell(body, signRetell(body, "key", now - 301_000), "key", now)).toEqual({ ok: false, reason: "stale" });
    expect(verifyRetell(body, signRetell(body, "key", now + 301_000), "key", now)).toEqual({ ok: false, reason: "stale" });
    expect(verifyRetell(body, undefined, "key", now)).toEqual({ ok: false, reason: "missing" });
    for (const bad of ["garbage", "v=1,d=xyz", `d=${"a".repeat(64)},v=1`, `v=${now},d=${"a".repeat(63)}`]) {
      expect(verifyRetell(body, bad, "key", now)).toEqual({ ok: false, reason: "malformed" });
    }
  });
});

describe("Cal.com signatures", () => {
  it("verify the body-only HMAC and refuse the no-secret literal", () => {
    const body = buf('{"triggerEvent":"BOOKING_CREATED"}');
    expect(verifyCalcom(body, signCalcom(body, "s"), "s")).toEqual({ ok: true });
    expect(verifyCalcom(body, signCalcom(body, "s").toUpperCase(), "s")).toEqual({ ok: true });
    expect(verifyCalcom(body, signCalcom(body, "x"), "s")).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyCalcom(body, "no-secret-provided", "s")).toEqual({ ok: false, reason: "malformed" });
    expect(verifyCalcom(body, undefined, "s")).toEqual({ ok: false, reason: "missing" });
  });
});

describe("Stripe signatures", () => {
  it("match the stripe package's vector and accept any of several v1 values", () => {
    expect(signStripe('{"id":"evt_1"}', "whsec_test", 1700000000)).toBe("t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925");
    const body = buf('{"id":"evt_2"}');
    const now = 1_800_000_000_000;
    const good = signStripe(body, "whsec_a", now / 1000);
    const rotated = `${good},v1=${"0".repeat(64)},v0=ignored`;
    expect(verifyStripe(body, rotated, "whsec_a", now).ok).toBe(true);
    expect(verifyStripe(body, `t=${now / 1000},v1=${"0".repeat(64)},${good.split(",")[1]}`, "whsec_a", now).ok).toBe(true);
  });

  it("refuse stale times, other secrets, changed bodies and malformed headers", () => {
    const body = buf('{"id":"evt_3"}');
    const now = 1_800_000_000_000;
    expect(verifyStripe(body, signStripe(body, "whsec_a", now / 1000 - 301), "whsec_a", now)).toEqual({ ok: false, reason: "stale" });
    expect(verifyStripe(body, signStripe(body, "whsec_b", now / 1000), "whsec_a", now)).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyStripe(buf('{"id":"evt_4"}'), signStripe(body, "whsec_a", now / 1000), "whsec_a", now)).toEqual({ ok: false, reason: "mismatch" });
    for (const bad of ["", "t=abc,v1=00", "v1=" + "a".repeat(64), `t=${now / 1000}`, "t=1=2,v1=x"]) {
      expect(verifyStripe(body, bad || undefined, "whsec_a", now).ok).toBe(false);
    }
  });
});

describe("Twilio signatures", () => {
  // twilio-node's own vector (spec/unit/webhooks): token 12345, this URL and these parameters.
  const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
  const params = { CallSid: "CA1234567890ABCDE", Caller: "+14158675309", Digits: "1234", From: "+14158675309", To: "+18005551212" };

  it("match Twilio's published vector, whatever the parameter order", () => {
    expect(signTwilio(url, params, "12345")).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    const reversed = Object.fromEntries(Object.entries(params).reverse());
    expect(verifyTwilio(url, reversed, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")).toEqual({ ok: true });
  });

  it("refuse another token, URL or parameter, and missing or malformed headers", () => {
    const good = signTwilio(url, params, "12345");
    expect(verifyTwilio(url, params, good, "54321")).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyTwilio(`${url}&baz=3`, params, good, "12345")).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyTwilio(url, { ...params, Digits: "9999" }, good, "12345")).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyTwilio(url, params, undefined, "12345")).toEqual({ ok: false, reason: "missing" });
    for (const bad of ["abc", good.slice(0, -1), `${good}x`, "!".repeat(28)]) expect(verifyTwilio(url, params, bad, "12345")).toEqual({ ok: false, reason: "malformed" });
  });
});
