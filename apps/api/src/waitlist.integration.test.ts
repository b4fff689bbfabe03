/**
 * The waitlist and messaging settings over plain HTTP (tRPC), and customers' SMS replies through the
 * signed webhook, posted by the SMS gateway stand-in exactly as Twilio posts them.
 */
import { MESSAGING_QUEUE } from "@askproai/db/messaging";
import { sweepWaitlist } from "@askproai/db/waitlist";
import { startSmsStandIn, signTwilio, type SmsStandIn } from "@askproai/stand-ins";
import { Queue } from "bullmq";
import fc from "fast-check";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE, at, nextDate } from "./testing/dates.js";
import { uniqueKey, uniquePhone, useTestApi } from "./testing/server.js";

const t = useTestApi();
let sms: SmsStandIn;
beforeAll(async () => {
  sms = await startSmsStandIn();
});
afterAll(async () => sms?.close());

const salon = async (role: "desk" | "owner" = "desk") => {
  const { token } = await t.client.login(`${role}@simple-salon.example`);
  const branchId = (await t.client.query("directory.branches", undefined, token)).data[0].id as string;
  const services = (await t.client.query("directory.services", undefined, token)).data as { id: string; durationMinutes: number }[];
  const staff = (await t.client.query("directory.staff", undefined, token)).data as { id: string }[];
  return { token, branchId, serviceId: services.find((s) => s.durationMinutes === 30)!.id, staff: staff.map((s) => s.id) };
};
const webhookUrl = () => `${t.api.baseUrl}/webhooks/sms`;
const post = (body: string, headers: Record<string, string>) =>
  fetch(webhookUrl(), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body });

describe("waitlist over tRPC", () => {
  it("join, list and cancel; bad input names the fields; another company's ids are NOT_FOUND", async () => {
    const s = await salon();
    const day = nextDate(15);
    const joined = await t.client.mutation("waitlist.join", {
      branchId: s.branchId, serviceId: s.serviceId, staffId: s.staff[1], customer: { phone: "0170 1234567", name: "Lisa Lauer" },
      fromDate: day, toDate: day, earliestTime: "14:00", latestTime: "16:00", notes: "gern nachmittags",
    }, s.token);
    expect(joined.status).toBe(200);
    expect(joined.data).toMatchObject({ state: "waiting", staffId: s.staff[1], customer: { name: "Lisa Lauer", phone: "+491701234567" }, earliestTime: "14:00", offer: null });

    const listed = await t.client.query("waitlist.list", { branchId: s.branchId }, s.token);
    expect(listed.data.map((e: { id: string }) => e.id)).toContain(joined.data.id);

    const bad = await t.client.mutation("waitlist.join", { branchId: s.branchId, serviceId: "nope", customer: { phone: "x", name: "" }, fromDate: day, toDate: "2020-01-01", latestTime: "25:00" }, s.token);
    expect(bad.status).toBe(400);
    expect(bad.error!.data.fields).toEqual(expect.arrayContaining(["serviceId", "customer.phone", "customer.name", "latestTime"]));

    const clinic = await t.client.login("desk@hotline-clinic.example");
    const foreign = await t.client.mutation("waitlist.cancel", { id: joined.data.id }, clinic.token);
    expect(foreign.error!.data.code).toBe("NOT_FOUND");
    const cancelled = await t.client.mutation("waitlist.cancel", { id: joined.data.id }, s.token);
    expect(cancelled.data.state).toBe("cancelled");
    expect((await t.client.mutation("waitlist.join", { ...{ branchId: s.branchId, serviceId: s.serviceId }, customer: { phone: "+4917012345", name: "X" }, fromDate: day, toDate: day }, undefined)).status).toBe(401);
  });
});

describe("messaging settings and templates", () => {
  it("owners change offsets, language, hold and no-show limit; desks read them; templates are checked", async () => {
    const desk = await salon("desk");
    const owner = await salon("owner");
    expect((await t.client.query("messaging.settings", undefined, desk.token)).data).toEqual({ reminderOffsetsMinutes: [1440, 120], language: "de", waitlistHoldMinutes: 10, noShowLimit: 3 });
    expect((await t.client.mutation("messaging.updateSettings", { noShowLimit: 2 }, desk.token)).error!.data.code).toBe("FORBIDDEN");
    try {
      const updated = await t.client.mutation("messaging.updateSettings", { reminderOffsetsMinutes: [60, 2880], waitlistHoldMinutes: 15, noShowLimit: null }, owner.token);
      expect(updated.data).toEqual({ reminderOffsetsMinutes: [2880, 60], language: "de", waitlistHoldMinutes: 15, noShowLimit: null });
      const bad = await t.client.mutation("messaging.updateSettings", { reminderOffsetsMinutes: [5, 60, 60] }, owner.token);
      expect(bad.error!.data.fields).toEqual(["reminderOffsetsMinutes.0", "reminderOffsetsMinutes"]);
    } finally {
      await t.client.mutation("messaging.updateSettings", { reminderOffsetsMinutes: [1440, 120], waitlistHoldMinutes: 10, noShowLimit: 3 }, owner.token);
    }

    const refused = await t.client.mutation("messaging.setTemplate", { kind: "reminder", channel: "sms", language: "de", body: "Hallo {{vorname}}" }, owner.token);
    expect(refused.status).toBe(400);
    expect(refused.error!.message).toContain("{{vorname}}");
    const saved = await t.client.mutation("messaging.setTemplate", { kind: "reminder", channel: "sms", language: "de", body: "Bis morgen, {{customer}}: {{time}} Uhr. {{hint}}" }, owner.token);
    expect(saved.data).toMatchObject({ custom: true });
    const templates = (await t.client.query("messaging.templates", undefined, desk.token)).data as { kind: string; channel: string; language: string; body: string; custom: boolean }[];
    expect(templates.find((x) => x.kind === "reminder" && x.channel === "sms" && x.language === "de")).toMatchObject({ custom: true, body: expect.stringContaining("Bis morgen") });
    expect(templates.filter((x) => x.custom)).toHaveLength(1);
    await t.client.mutation("messaging.resetTemplate", { kind: "reminder", channel: "sms", language: "de" }, owner.token);
    expect(((await t.client.query("messaging.templates", undefined, desk.token)).data as { custom: boolean }[]).some((x) => x.custom)).toBe(false);
  });
});

describe("POST /webhooks/sms", () => {
  it("a customer's signed YES (posted by the gateway stand-in) books the offered slot; a late YES of someone else is told it is gone", async () => {
    const s = await salon();
    const day = nextDate(18);
    // 10:00 booked for the first staff member; two customers wait for exactly that time with them.
    const taken = await t.client.mutation("appointments.create", {
      branchId: s.branchId, serviceId: s.serviceId, staffId: s.staff[0], start: at(day, "10:00"), customer: { phone: uniquePhone(), name: "Bald Weg" }, idempotencyKey: uniqueKey(),
    }, s.token);
    const waiting = [uniquePhone(), uniquePhone()];
    for (const phone of waiting) {
      await t.client.mutation("waitlist.join", {
        branchId: s.branchId, serviceId: s.serviceId, staffId: s.staff[0], customer: { phone, name: "Wartet" }, fromDate: day, toDate: day, earliestTime: "10:00", latestTime: "10:00",
      }, s.token);
    }
    await t.client.mutation("appointments.cancel", { id: taken.data.id }, s.token);
    const noonBefore = DateTime.fromISO(`${day}T12:00`, { zone: ZONE }).minus({ days: 1 }).toMillis();
    // The worker's waitlist sweep (run here with a clock of noon the day before).
    await sweepWaitlist(t.api.deps.domain, noonBefore);
    // The first one's hold runs out; the slot moves to the second.
    await sweepWaitlist(t.api.deps.domain, noonBefore + 11 * 60_000);
    const offers = await t.api.deps.db.waitlistOffer.findMany({ where: { startsAt: new Date(at(day, "10:00")) }, orderBy: { createdAt: "asc" } });
    expect(offers.map((o) => o.state)).toEqual(["expired", "offered"]);

    const yes = await sms.simulateInbound({ from: waiting[1]!, to: "+493023125000", body: "Ja gerne", url: webhookUrl() });
    expect(yes.status).toBe(200);
    expect(yes.answer).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    const booked = await t.client.query("appointments.list", { branchId: s.branchId, from: at(day, "09:00"), to: at(day, "11:00") }, s.token);
    expect(booked.data.filter((a: { status: string }) => a.status === "confirmed")).toEqual([
      expect.objectContaining({ start: at(day, "10:00"), staffId: s.staff[0], customer: expect.objectContaining({ phone: waiting[1] }) }),
    ]);

    const late = await sms.simulateInbound({ from: waiting[0]!, to: "+493023125000", body: "JA", url: webhookUrl() });
    expect(late.status).toBe(200);
    const gone = await t.api.deps.db.message.findFirstOrThrow({ where: { waitlistOfferId: offers[0]!.id, kind: "waitlist_gone" } });
    // Queued for the worker at once (the request never sends it itself).
    const queue = new Queue(MESSAGING_QUEUE, { prefix: `${t.api.deps.config.REDIS_PREFIX}bull`, connection: new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379") });
    try {
      expect(await queue.getJob(`deliver-${gone.id}`)).toMatchObject({ name: "message.deliver", data: { messageId: gone.id } });
    } finally {
      await queue.close();
    }
    expect(gone.state).toBe("pending");
  });

  it("refuses unsigned, wrongly signed and replayed-elsewhere deliveries with 401 and changes nothing", async () => {
    const params = { From: uniquePhone(), To: "+493023125000", Body: "JA", MessageSid: "SM1" };
    const body = new URLSearchParams(params).toString();
    expect((await post(body, {})).status).toBe(401);
    expect((await post(body, { "x-twilio-signature": signTwilio(webhookUrl(), params, "other-token") })).status).toBe(401);
    expect((await post(body, { "x-twilio-signature": signTwilio("https://elsewhere.example/webhooks/sms", params, "standin_twilio_auth_token") })).status).toBe(401);
    const good = await post(body, { "x-twilio-signature": signTwilio(webhookUrl(), params, "standin_twilio_auth_token") });
    expect(good.status).toBe(200);
    const noFrom = { Body: "JA" };
    expect((await post(new URLSearchParams(noFrom).toString(), { "x-twilio-signature": signTwilio(webhookUrl(), noFrom, "standin_twilio_auth_token") })).status).toBe(400);
  });

  it("never answers hostile input with a 500 (fast-check: any body and signature, signed or not)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 6 }), fc.boolean(), fc.string({ maxLength: 40 }), async (params, signed, junk) => {
        const body = new URLSearchParams(params).toString();
        const signature = signed ? signTwilio(webhookUrl(), Object.fromEntries(new URLSearchParams(body)), "standin_twilio_auth_token") : junk;
        const res = await post(body, { "x-twilio-signature": signature });
        expect([200, 400, 401]).toContain(res.status);
        if (!signed) expect(res.status).toBe(401);
      }),
      { numRuns: 60 },
    );
    const huge = await post("Body=" + "x".repeat(600_000), {});
    expect(huge.status).toBe(413);
  });
});
