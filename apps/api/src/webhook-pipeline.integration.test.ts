/**
 * The webhook pipeline end to end: signed deliveries over real HTTP to the API, the real worker
 * (in this process) on the real Redis and PostgreSQL, the Stripe stand-in for re-fetches. Both reach
 * Redis through one TCP proxy, so a Redis outage is real for both.
 */
import { poolOf } from "@askproai/db";
import { createStripeApi } from "@askproai/db/billing";
import { startStripeStandIn, type StripeStandIn } from "@askproai/stand-ins";
import { calcomBookingEvent, randomId, retellCallEvent, signedDelivery, stripeEvent, type SignedDelivery } from "@askproai/stand-ins/webhooks";
import { createLogger } from "@askproai/shared/server";
import { startWorker } from "@askproai/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_NUMBERS, newCall } from "./testing/retell.js";
import { startTestApi, type TestApi } from "./testing/server.js";
import { tcpProxy, type TcpProxy } from "@askproai/db/testing";

let api: TestApi;
let proxy: TcpProxy;
let stripe: StripeStandIn;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  proxy = await tcpProxy();
  stripe = await startStripeStandIn();
  api = await startTestApi({ REDIS_URL: proxy.url });
  worker = await startWorker({
    db: api.scratch.db,
    logger: createLogger({ level: "silent", service: "worker-test" }),
    redisUrl: proxy.url,
    queuePrefix: `${api.deps.config.REDIS_PREFIX}bull`,
    purgeEveryMs: 600_000,
    messaging: { transports: { sms: null, mail: null }, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000, waitlistEveryMs: 600_000 },
    webhooks: { stripe: createStripeApi({ baseUrl: stripe.url, apiKey: "sk_test_pipeline" }), stuckAfterMs: 3_000, sweepEveryMs: 500, retryBaseMs: 200 },
    stalledIntervalMs: 1_000,
  });
});
afterAll(async () => {
  await proxy?.start().catch(() => undefined);
  await worker?.close();
  await api?.close();
  await stripe?.close();
  await proxy?.stop();
});

const send = (d: SignedDelivery) => fetch(`${api.baseUrl}${d.path}`, { method: "POST", headers: d.headers, body: d.body }).then(async (r) => (await r.arrayBuffer(), r.status));
const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => poolOf(api.scratch.db).query<T>(text, values).then((r) => r.rows);
const processed = async (eventIds: string[]) =>
  Number((await sql<{ n: string }>("SELECT count(*) AS n FROM webhook_events WHERE event_id = ANY($1::text[]) AND processed_at IS NOT NULL", [eventIds]))[0]!.n);

describe("replay storm", () => {
  it("300 events of the three sources, each delivered 5 times, shuffled, 30 at a time → 300 rows, each processed exactly once", { timeout: 60_000 }, async () => {
    const customers = ["cus_demo_simple_salon", "cus_demo_hotline_clinic", "cus_demo_matrix_spa"];
    const t = Math.floor(Date.now() / 1000);
    const calls = Array.from({ length: 40 }, () => randomId("call_"));
    const bodies: { source: "retell" | "calcom" | "stripe"; body: any; eventId: string }[] = [];
    for (const callId of calls) {
      for (const event of ["call_started", "call_ended", "call_analyzed"] as const) {
        bodies.push({ source: "retell", body: retellCallEvent(event, { callId, toNumber: DEMO_NUMBERS.salon }), eventId: `${callId}:${event}` });
      }
    }
    for (let i = 0; i < 90; i++) {
      const body = stripeEvent("customer.subscription.updated", { customer: customers[i % 3], created: t - 1_000 + i });
      bodies.push({ source: "stripe", body, eventId: body.id });
    }
    for (let i = 0; i < 90; i++) {
      const body = calcomBookingEvent("BOOKING_CREATED");
      bodies.push({ source: "calcom", body, eventId: `${body.triggerEvent}:${body.payload.uid}:${body.createdAt}` });
    }
    expect(bodies).toHaveLength(300);
    const deliveries = bodies.flatMap((b) => Array.from({ length: 5 }, () => b)).sort(() => Math.random() - 0.5);
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++]!;
          statuses.push(await send(signedDelivery(d.source, d.body, api.deps.config)));
        }
      }),
    );
    expect(statuses).toHaveLength(1_500);
    expect(statuses.filter((s) => s !== 204 && s !== 200)).toEqual([]);
    const eventIds = bodies.map((b) => b.eventId);
    expect(await sql("SELECT 1 FROM webhook_events WHERE event_id = ANY($1::text[])", [eventIds])).toHaveLength(300);
    await expect.poll(() => processed(eventIds), { timeout: 40_000, interval: 250 }).toBe(300);

    // Exactly once: one successful job run per event, no failure on any row, one call record per call.
    const runs = await sql<{ job_id: string; outcome: string }>(
      "SELECT job_id, outcome FROM job_attempts WHERE queue = 'webhooks' AND job_name = 'webhook.process' AND job_id = ANY($1::text[])",
      [(await sql<{ id: string }>("SELECT id FROM webhook_events WHERE event_id = ANY($1::text[])", [eventIds])).map((r) => `webhook-${r.id}`)],
    );
    expect(runs.filter((r) => r.outcome === "completed")).toHaveLength(300);
    expect(new Set(runs.map((r) => r.job_id)).size).toBe(300);
    expect(await sql("SELECT 1 FROM webhook_events WHERE event_id = ANY($1::text[]) AND (retry_count > 0 OR last_error IS NOT NULL)", [eventIds])).toEqual([]);
    const records = await sql<{ status: string; n: string }>("SELECT status, count(*) AS n FROM call_records WHERE retell_call_id = ANY($1::text[]) GROUP BY status", [calls]);
    expect(records).toEqual([{ status: "analyzed", n: "40" }]);
    // Billing: the stand-in's subscriptions (re-fetched) are active.
    expect(await sql("SELECT billing_status::text AS s FROM companies WHERE stripe_customer_id = ANY($1::text[]) AND billing_status <> 'active'", [customers])).toEqual([]);
  });
});

describe("out of order and voice calls", () => {
  it("call_analyzed before call_ended → the analyzed row; the call's appointment linked and its holds released", { timeout: 30_000 }, async () => {
    const call = newCall(api, DEMO_NUMBERS.salon);
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const booked = await call.fn("book_appointment", { service: "Herrenhaarschnitt", date: day, time: "15:00", customer_name: "Jonas Berger" });
    expect(booked.body.ok, booked.body.result).toBe(true);
    const offered = await call.fn("check_availability", { service: "Herrenhaarschnitt", date: day });
    expect(offered.body.ok).toBe(true);
    const holds = () => sql("SELECT 1 FROM appointment_locks WHERE holder = $1", [`call:${call.id}`]);
    expect((await holds()).length).toBeGreaterThan(0);

    expect(await send(signedDelivery("retell", retellCallEvent("call_analyzed", { callId: call.id, toNumber: DEMO_NUMBERS.salon }), api.deps.config))).toBe(204);
    await expect.poll(() => processed([`${call.id}:call_analyzed`]), { timeout: 10_000 }).toBe(1);
    expect(await send(signedDelivery("retell", retellCallEvent("call_ended", { callId: call.id, toNumber: DEMO_NUMBERS.salon }), api.deps.config))).toBe(204);
    await expect.poll(() => processed([`${call.id}:call_ended`]), { timeout: 10_000 }).toBe(1);

    const [record] = await sql<{ id: string; status: string; summary: string | null; sentiment: string | null }>("SELECT id, status, summary, sentiment FROM call_records WHERE retell_call_id = $1", [call.id]);
    expect(record).toMatchObject({ status: "analyzed", sentiment: "Positive", summary: expect.stringMatching(/Termin/) });
    expect(await sql("SELECT call_record_id FROM appointments WHERE id = $1", [booked.body.appointment.id])).toEqual([{ call_record_id: record!.id }]);
    expect(await holds()).toEqual([]);
  });

  it("Stripe: an older subscription.updated after a newer state → the newest (re-fetched) state stays; an unknown customer is not retried", { timeout: 30_000 }, async () => {
    stripe.setSubscription({ id: "sub_demo_matrix_spa", customer: "cus_demo_matrix_spa", status: "canceled", currentPeriodEnd: Math.floor(Date.now() / 1000) - 60 });
    const newer = stripeEvent("customer.subscription.deleted", { customer: "cus_demo_matrix_spa", created: Math.floor(Date.now() / 1000) });
    const older = stripeEvent("customer.subscription.updated", { customer: "cus_demo_matrix_spa", status: "active", created: Math.floor(Date.now() / 1000) - 3_600 });
    for (const e of [newer, older]) {
      expect(await send(signedDelivery("stripe", e, api.deps.config))).toBe(204);
      await expect.poll(() => processed([e.id]), { timeout: 10_000 }).toBe(1);
    }
    expect(await sql("SELECT billing_status::text AS status FROM companies WHERE slug = 'matrix-spa'")).toEqual([{ status: "canceled" }]);

    const unknown = stripeEvent("invoice.paid", { customer: "cus_unknown_pipeline" });
    expect(await send(signedDelivery("stripe", unknown, api.deps.config))).toBe(204);
    await expect.poll(() => processed([unknown.id]), { timeout: 10_000 }).toBe(1);
    expect(await sql("SELECT retry_count, last_error FROM webhook_events WHERE event_id = $1", [unknown.id])).toEqual([{ retry_count: 0, last_error: "unknown Stripe customer" }]);
    expect(await send(signedDelivery("stripe", unknown, api.deps.config))).toBe(200);
  });
});

describe("Redis down", () => {
  it("the event is stored and answered 204; it is processed once Redis is back", { timeout: 40_000 }, async () => {
    await proxy.stop();
    const body = retellCallEvent("call_ended", { toNumber: DEMO_NUMBERS.spa });
    const eventId = `${body.call.call_id}:call_ended`;
    const started = performance.now();
    expect(await send(signedDelivery("retell", body, api.deps.config))).toBe(204);
    expect(performance.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await processed([eventId])).toBe(0);
    await proxy.start();
    await expect.poll(() => processed([eventId]), { timeout: 30_000, interval: 250 }).toBe(1);
    expect(await sql("SELECT status FROM call_records WHERE retell_call_id = $1", [body.call.call_id])).toEqual([{ status: "ended" }]);
  });
});
