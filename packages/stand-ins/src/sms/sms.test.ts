import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { call, startReceiver } from "../testing/receiver.js";
import { DEMO_TWILIO_ACCOUNT_SID as SID, DEMO_TWILIO_AUTH_TOKEN as TOKEN, type SmsStandIn, startSmsStandIn } from "./index.js";

let sms: SmsStandIn;
beforeEach(async () => {
  sms = await startSmsStandIn();
});
afterEach(() => sms.close());

const basic = (user = SID, password = TOKEN) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const send = async (form: Record<string, string>, auth = basic(), sid = SID) => {
  const response = await fetch(`${sms.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as any };
};

describe("SMS stand-in (Twilio Messages API)", () => {
  it("accepts a form-encoded message with Basic auth and answers 201 with Twilio's message resource", async () => {
    const res = await send({ To: "+4915123456789", From: "+493023125101", Body: "Ihr Termin am Fr, 14:00 ist bestätigt." });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      account_sid: SID,
      api_version: "2010-04-01",
      to: "+4915123456789",
      from: "+493023125101",
      body: "Ihr Termin am Fr, 14:00 ist bestätigt.",
      status: "queued",
      direction: "outbound-api",
      num_segments: "1",
      error_code: null,
    });
    expect(res.body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(res.body.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    expect(res.body.uri).toBe(`/2010-04-01/Accounts/${SID}/Messages/${res.body.sid}.json`);

    expect(sms.messages).toEqual([res.body]);
    expect((await call(`${sms.url}/__standin/messages`)).body).toEqual([res.body]);
    const fetched = await fetch(`${sms.url}${res.body.uri}`, { headers: { authorization: basic() } });
    expect(await fetched.json()).toEqual(res.body);
    const page = await fetch(`${sms.url}/`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Ihr Termin am Fr, 14:00 ist bestätigt.");
  });

  it("answers a messaging service send with status accepted", async () => {
    const res = await send({ To: "+4915123456789", MessagingServiceSid: "MG00000000000000000000000000000000", Body: "Hallo" });
    expect(res.body).toMatchObject({ status: "accepted", from: null, messaging_service_sid: "MG00000000000000000000000000000000" });
  });

  it("answers bad input with Twilio's error JSON and keeps nothing", async () => {
    const cases: [Record<string, string>, number][] = [
      [{ From: "+493023125101", Body: "x" }, 21604],
      [{ To: "0151 23456789", From: "+493023125101", Body: "x" }, 21211],
      [{ To: "+4915123456789", Body: "x" }, 21603],
      [{ To: "+4915123456789", From: "not a sender!", Body: "x" }, 21212],
      [{ To: "+4915123456789", From: "+493023125101" }, 21602],
      [{ To: "+4915123456789", From: "+493023125101", Body: "x".repeat(1601) }, 21617],
    ];
    for (const [form, code] of cases) {
      const res = await send(form);
      expect(res.status, String(code)).toBe(400);
      expect(res.body).toEqual({ code, message: expect.any(String), more_info: `https://www.twilio.com/docs/errors/${code}`, status: 400 });
    }
    expect(sms.messages).toHaveLength(0);
  });

  it("refuses missing or mismatched credentials with 401 code 20003", async () => {
    const form = { To: "+4915123456789", From: "+493023125101", Body: "x" };
    expect((await send(form, "")).body).toMatchObject({ code: 20003, status: 401 });
    expect((await send(form, basic("ACffffffffffffffffffffffffffffffff"))).status).toBe(401);
    await sms.close();
    sms = await startSmsStandIn({ strictAuth: true });
    expect((await send(form, basic(SID, "wrong"))).status).toBe(401);
    expect((await send(form)).status).toBe(201);
  });

  it("lists messages as Twilio does: newest first, filtered by To and DateSent, paged", async () => {
    await send({ To: "+4915100000001", From: "+493023125101", Body: "eins" });
    await send({ To: "+4915100000002", From: "+493023125101", Body: "zwei" });
    await send({ To: "+4915100000001", From: "+493023125101", Body: "drei" });
    const list = async (query: string, auth = basic()) => {
      const response = await fetch(`${sms.url}/2010-04-01/Accounts/${SID}/Messages.json?${query}`, { headers: { authorization: auth } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const mine = await list("To=%2B4915100000001&PageSize=1");
    expect(mine.body.messages.map((m: { body: string }) => m.body)).toEqual(["drei"]);
    expect(mine.body).toMatchObject({ page: 0, page_size: 1, start: 0, previous_page_uri: null });
    const next = await list(new URL(mine.body.next_page_uri, sms.url).search.slice(1));
    expect(next.body.messages.map((m: { body: string }) => m.body)).toEqual(["eins"]);
    expect(next.body.next_page_uri).toBeNull();
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(`DateSent=${today}`)).body.messages).toHaveLength(3);
    expect((await list(`DateSent%3E=2099-01-01`)).body.messages).toHaveLength(0);
    expect((await list(`DateSent%3C=${today}`)).body.messages).toHaveLength(3);
    expect((await list("", basic(SID, ""))).status).toBe(401);
  });

  it("fails on demand: 503 in Twilio's shape for a while, slow answers, dropped connections", async () => {
    const form = { To: "+4915123456789", From: "+493023125101", Body: "x" };
    await call(`${sms.url}/__standin/faults`, { body: { kind: "status", status: 503, count: 1 } });
    const failed = await send(form);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ code: 20500, status: 503 });
    sms.faults.add({ kind: "slow", delayMs: 250, count: 1 });
    const started = Date.now();
    expect((await send(form)).status).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    sms.faults.add({ kind: "drop", count: 1 });
    await expect(send(form)).rejects.toThrow();
    expect(sms.messages).toHaveLength(1);
  });

  it("delivers a simulated inbound reply form-encoded with a valid X-Twilio-Signature, and returns the webhook's answer", async () => {
    const receiver = await startReceiver(200, "<Response/>");
    try {
      const url = `${receiver.url}/webhooks/sms?company=simple-salon`;
      const put = await call(`${sms.url}/__standin/inbound-webhook`, { method: "PUT", body: { url } });
      expect(put.status).toBe(200);
      const result = await call(`${sms.url}/__standin/inbound`, { body: { from: "+4915123456789", to: "+493023125101", body: "JA" } });
      expect(result.body).toMatchObject({ status: 200, answer: "<Response/>" });
      const [delivery] = receiver.received;
      expect(delivery!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      const params = Object.fromEntries(new URLSearchParams(delivery!.body));
      expect(params).toMatchObject({ From: "+4915123456789", To: "+493023125101", Body: "JA", AccountSid: SID, SmsStatus: "received" });
      expect(params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
      // Twilio's algorithm written out independently: URL, then each parameter name and value sorted by name.
      const data = url + Object.keys(params).sort().map((k) => k + params[k]).join("");
      expect(delivery!.headers["x-twilio-signature"]).toBe(createHmac("sha1", TOKEN).update(data).digest("base64"));
      expect(sms.messages.at(-1)).toMatchObject({ direction: "inbound", body: "JA" });
    } finally {
      await receiver.close();
    }
  });

  it("sends signed status callbacks (sent, delivered) when StatusCallback is given", async () => {
    const receiver = await startReceiver(204);
    try {
      const res = await send({ To: "+4915123456789", From: "+493023125101", Body: "x", StatusCallback: `${receiver.url}/status` });
      await expect.poll(() => receiver.received.length).toBe(2);
      const statuses = receiver.received.map((r) => new URLSearchParams(r.body).get("MessageStatus"));
      expect(statuses).toEqual(["sent", "delivered"]);
      expect(new URLSearchParams(receiver.received[0]!.body).get("MessageSid")).toBe(res.body.sid);
      expect(sms.messages[0]!.status).toBe("delivered");
    } finally {
      await receiver.close();
    }
  });
});
