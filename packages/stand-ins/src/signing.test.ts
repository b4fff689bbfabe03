import { verifyCalcom, verifyRetell, verifyStripe } from "@askproai/shared/server";
import { describe, expect, it } from "vitest";
import { signCalcom, signRetell, signStripe, signTwilio } from "./signing.js";

describe("signing helpers", () => {
  it("signStripe matches the vector made by running the stripe package", () => {
    expect(signStripe('{"id":"evt_1"}', "whsec_test", 1700000000)).toBe(
      "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925",
    );
    expect(signStripe(Buffer.from('{"id":"evt_1"}'), "whsec_test", 1700000000)).toContain("v1=c89214b5");
    expect(signStripe('{"id":"evt_1"}', "whsec_test")).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/);
  });

  it("signRetell matches the retell-sdk's own test vector", () => {
    expect(signRetell('{"event":"call_ended"}', "test-api-key", 1700000000000)).toBe(
      "v=1700000000000,d=07024cabe7dd8f6d1c6e4a8324ca92c812e6ad4a7ee506c04f7e462e3321823e",
    );
  });

  it("signCalcom is the HMAC of the body alone: same body same signature, any change another", () => {
    const signature = signCalcom('{"triggerEvent":"BOOKING_CREATED"}', "secret");
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signCalcom('{"triggerEvent":"BOOKING_CREATED"}', "secret")).toBe(signature);
    expect(signCalcom('{"triggerEvent":"BOOKING_CREATED" }', "secret")).not.toBe(signature);
    expect(signCalcom('{"triggerEvent":"BOOKING_CREATED"}', "other")).not.toBe(signature);
  });

  it("what the helpers sign, the production verifiers accept", () => {
    const body = Buffer.from('{"event":"call_ended","call":{"call_id":"c1"}}');
    expect(verifyRetell(body, signRetell(body, "key_1"), "key_1")).toMatchObject({ ok: true });
    expect(verifyCalcom(body, signCalcom(body, "cal_secret"), "cal_secret")).toEqual({ ok: true });
    expect(verifyStripe(body, signStripe(body, "whsec_1"), "whsec_1")).toMatchObject({ ok: true });
    expect(verifyStripe(body, signStripe(body, "whsec_1"), "whsec_2")).toEqual({ ok: false, reason: "mismatch" });
  });

  it("signTwilio sorts the parameters by name, so their order does not matter, and covers the URL", () => {
    const a = signTwilio("https://example.org/sms", { To: "+1", From: "+2", Body: "JA" }, "token");
    expect(signTwilio("https://example.org/sms", { Body: "JA", From: "+2", To: "+1" }, "token")).toBe(a);
    expect(signTwilio("https://example.org/sms?x=1", { Body: "JA", From: "+2", To: "+1" }, "token")).not.toBe(a);
    expect(Buffer.from(a, "base64")).toHaveLength(20);
  });
});
