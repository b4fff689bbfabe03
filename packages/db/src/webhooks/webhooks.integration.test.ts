/**
 * Webhook processing against the real PostgreSQL (and the Stripe stand-in over real HTTP): exactly
 * once under concurrency, Retell events in every order to the same row, Stripe ordering with and
 * without the API, permanent and transient failures, the sweep's re-queue and retention.
 */
import { startStripeStandIn, type StripeStandIn } from "@askproai/stand-ins";
import { calcomBookingEvent, randomId, retellCallEvent, stripeEvent } from "@askproai/stand-ins/webhooks";
import { webhookIdentity, type WebhookSource } from "@askproai/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeApi } from "../billing/stripe-api.js";
import { createAppointment } from "../booking/create.js";
import { poolOf } from "../client.js";
import { contextFor, createDomainDeps } from "../context.js";
import { seedDemoData } from "../seed/demo.js";
import { at, bookingRequest, createFixtureCompany, createScratchDatabase, localDate, type FixtureCompany, type ScratchDatabase } from "../testing/index.js";
import { storeWebhookEvent } from "./intake.js";
import { processWebhookEvent, type WebhookDeps } from "./process.js";
import { pruneWebhookEvents, stuckWebhookEvents } from "./sweep.js";

let scratch: ScratchDatabase;
let stripe: StripeStandIn;
beforeAll(async () => {
  scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
  stripe = await startStripeStandIn();
});
afterAll(async () => {
  await stripe?.close();
  await scratch?.drop();
});

const noApi = (): WebhookDeps => ({ db: scratch.db, stripe: null });
const withApi = (): WebhookDeps => ({ db: scratch.db, stripe: createStripeApi({ baseUrl: stripe.url, apiKey: "sk_test_webhooks", timeoutMs: 2_000 }) });
const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => poolOf(scratch.db).query<T>(text, values).then((r) => r.rows);

const store = async (source: WebhookSource, body: unknown) => {
  const identity = webhookIdentity(source, body);
  if (!identity.ok) throw new Error(`no identity: ${identity.fields.join()}`);
  return (await storeWebhookEvent(scratch.db, { source, ...identity.identity, payload: JSON.stringify(body), correlationId: randomId("corr-") })).id;
};
const deliver = async (deps: WebhookDeps, source: WebhookSource, body: unknown) => processWebhookEvent(deps, await store(source, body));
const billingOf = async (slug: string) =>
  (await sql<{ status: string; periodEnd: Date | null; subscriptionId: string | null }>(
    `SELECT billing_status::text AS status, billing_period_end AS "periodEnd", stripe_subscription_id AS "subscriptionId" FROM companies WHERE slug = $1`,
    [slug],
  ))[0]!;

describe("exactly once", () => {
  it("six workers racing for one event: one applies it, the others find it taken or done", async () => {
    const id = await store("stripe", stripeEvent("customer.subscription.updated", { customer: "cus_demo_matrix_spa", status: "past_due" }));
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => processWebhookEvent(noApi(), id)));
    expect(outcomes.filter((o) => o.outcome === "processed")).toHaveLength(1);
    expect(outcomes.every((o) => ["processed", "busy", "already_processed"].includes(o.outcome))).toBe(true);
    expect(await processWebhookEvent(noApi(), id)).toEqual({ outcome: "already_processed" });
    expect((await billingOf("matrix-spa")).status).toBe("past_due");
    expect(await processWebhookEvent(noApi(), "00000000-0000-4000-8000-000000000000")).toEqual({ outcome: "missing" });
  });
});

describe("Retell calls", () => {
  const ORDERS = [
    ["call_started", "call_ended", "call_analyzed"],
    ["call_started", "call_analyzed", "call_ended"],
    ["call_ended", "call_started", "call_analyzed"],
    ["call_ended", "call_analyzed", "call_started"],
    ["call_analyzed", "call_started", "call_ended"],
    ["call_analyzed", "call_ended", "call_started"],
  ] as const;
  const recordOf = (callId: string) =>
    sql(
      `SELECT company_id, branch_id, agent_id, from_number, to_number, direction, status, started_at, ended_at, duration_seconds, disconnect_reason, transcript, summary, sentiment
       FROM call_records WHERE retell_call_id = $1`,
      [callId],
    );

  it("the same final row whichever order the three events are processed in; status never goes back", async () => {
    const startMs = Date.now() - 600_000;
    const finals: unknown[] = [];
    for (const order of ORDERS) {
      const callId = randomId("call_");
      const statuses: string[] = [];
      for (const event of order) {
        expect(await deliver(noApi(), "retell", retellCallEvent(event, { callId, startMs, durationMs: 123_400 }))).toMatchObject({ outcome: "processed" });
        statuses.push(String((await recordOf(callId))[0]!.status));
      }
      const rank = (s: string) => ["started", "ended", "analyzed"].indexOf(s);
      expect(statuses.map(rank)).toEqual([...statuses.map(rank)].sort());
      const rows = await recordOf(callId);
      expect(rows).toHaveLength(1);
      finals.push(rows[0]);
    }
    for (const row of finals) expect(row).toEqual(finals[0]);
    expect(finals[0]).toMatchObject({ status: "analyzed", duration_seconds: 123, disconnect_reason: "user_hangup", sentiment: "Positive", to_number: "+493023125101" });
    expect((finals[0] as { summary: string }).summary).toMatch(/Termin/);
    expect((finals[0] as { transcript: string }).transcript).toMatch(/Salon/);
    expect((finals[0] as { branch_id: string | null }).branch_id).not.toBeNull();
  });

  it("call_ended links the call's appointments and releases its voice holds; a number nobody has is recorded, not retried", async () => {
    const f: FixtureCompany = await createFixtureCompany(scratch.db, { staffCount: 2 });
    const number = (await sql<{ phone_number: string }>("SELECT phone_number FROM branches WHERE id = $1", [f.branchId]))[0]!.phone_number;
    const callId = randomId("call_");
    const ctx = contextFor(createDomainDeps(scratch.db, null), { companyId: f.companyId, correlationId: "wh-1", actor: { type: "voice_agent", id: callId }, source: "voice" });
    const booked = await createAppointment(ctx, bookingRequest(f, { start: at(localDate(4), "10:00"), staffId: f.staffIds[0], idempotencyKey: randomId("k") }));
    await sql(
      `INSERT INTO appointment_locks (id, company_id, branch_id, staff_id, starts_at, ends_at, expires_at, kind, holder, correlation_id)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now() + interval '4 minutes', 'hold', $6, 'wh-1')`,
      [f.companyId, f.branchId, f.staffIds[1], new Date(at(localDate(4), "11:00")), new Date(at(localDate(4), "11:30")), `call:${callId}`],
    );
    const holds = () => sql("SELECT 1 FROM appointment_locks WHERE holder = $1", [`call:${callId}`]);
    expect(await holds()).toHaveLength(1);
    await deliver(noApi(), "retell", retellCallEvent("call_started", { callId, toNumber: number }));
    expect(await holds()).toHaveLength(1);
    expect(await deliver(noApi(), "retell", retellCallEvent("call_ended", { callId, toNumber: number }))).toMatchObject({ outcome: "processed", companyId: f.companyId });
    expect(await holds()).toHaveLength(0);
    const [record] = await sql<{ id: string; company_id: string; branch_id: string }>("SELECT id, company_id, branch_id FROM call_records WHERE retell_call_id = $1", [callId]);
    expect(record).toMatchObject({ company_id: f.companyId, branch_id: f.branchId });
    expect((await sql("SELECT call_record_id FROM appointments WHERE id = $1", [booked.id]))[0]).toEqual({ call_record_id: record!.id });

    const lost = await store("retell", retellCallEvent("call_ended", { toNumber: "+491111111111", agentId: "agent_nobody" }));
    expect(await processWebhookEvent(noApi(), lost)).toMatchObject({ outcome: "unrecoverable", detail: /no company/ });
    expect((await sql("SELECT processed_at IS NOT NULL AS done, retry_count, last_error FROM webhook_events WHERE id = $1", [lost]))[0]).toMatchObject({ done: true, retry_count: 0, last_error: expect.stringMatching(/no company/) });
  });
});

describe("Stripe billing", () => {
  it("without the API: an older subscription.updated after a newer one changes nothing; ties by event id, same result in both orders", async () => {
    const t = Math.floor(Date.now() / 1000);
    const newer = stripeEvent("customer.subscription.updated", { customer: "cus_demo_hotline_clinic", status: "active", created: t, currentPeriodEnd: t + 40 * 86_400 });
    const older = stripeEvent("customer.subscription.updated", { customer: "cus_demo_hotline_clinic", status: "canceled", created: t - 100, currentPeriodEnd: t + 5 * 86_400 });
    await deliver(noApi(), "stripe", newer);
    expect(await deliver(noApi(), "stripe", older)).toMatchObject({ outcome: "processed", detail: /older/ });
    expect(await billingOf("hotline-clinic")).toMatchObject({ status: "active", periodEnd: new Date((t + 40 * 86_400) * 1000) });

    const finals = [];
    for (const flip of [false, true]) {
      const a = stripeEvent("invoice.payment_failed", { customer: "cus_demo_hotline_clinic", created: t + 10 + (flip ? 10 : 0), id: "evt_tie_a" + (flip ? "2" : "1") });
      const b = stripeEvent("invoice.paid", { customer: "cus_demo_hotline_clinic", created: t + 10 + (flip ? 10 : 0), id: "evt_tie_b" + (flip ? "2" : "1"), currentPeriodEnd: t + 50 * 86_400 });
      for (const e of flip ? [b, a] : [a, b]) await deliver(noApi(), "stripe", e);
      finals.push((await billingOf("hotline-clinic")).status);
    }
    expect(finals).toEqual(["active", "active"]);
  });

  it("with the API: the subscription is re-fetched, so the event's own (stale) snapshot never counts", async () => {
    stripe.setSubscription({ id: "sub_demo_simple_salon", customer: "cus_demo_simple_salon", status: "past_due", currentPeriodEnd: 2_000_000_000 });
    const stale = stripeEvent("customer.subscription.updated", { customer: "cus_demo_simple_salon", status: "active", created: Math.floor(Date.now() / 1000) + 1_000 });
    await deliver(withApi(), "stripe", stale);
    expect(await billingOf("simple-salon")).toMatchObject({ status: "past_due", periodEnd: new Date(2_000_000_000_000), subscriptionId: "sub_demo_simple_salon" });
    stripe.setSubscription({ id: "sub_demo_simple_salon", customer: "cus_demo_simple_salon", status: "active", currentPeriodEnd: 2_000_100_000 });
    await deliver(withApi(), "stripe", stripeEvent("invoice.paid", { customer: "cus_demo_simple_salon", created: 1 }));
    expect((await billingOf("simple-salon")).status).toBe("active");
  });

  it("an unknown customer is recorded as processed with its error; Stripe down is a retryable failure kept on the row", async () => {
    const unknown = await store("stripe", stripeEvent("invoice.paid", { customer: "cus_nobody" }));
    expect(await processWebhookEvent(noApi(), unknown)).toMatchObject({ outcome: "unrecoverable", companyId: null, detail: "unknown Stripe customer" });
    expect((await sql("SELECT processed_at IS NOT NULL AS done, last_error FROM webhook_events WHERE id = $1", [unknown]))[0]).toEqual({ done: true, last_error: "unknown Stripe customer" });

    stripe.faults.add({ kind: "status", status: 503, count: 2 });
    const id = await store("stripe", stripeEvent("customer.subscription.updated", { customer: "cus_demo_matrix_spa" }));
    for (let attempt = 1; attempt <= 2; attempt++) {
      await expect(processWebhookEvent(withApi(), id)).rejects.toMatchObject({ name: "WebhookAttemptFailed", source: "stripe", message: "Stripe answered 503" });
      expect((await sql("SELECT processed_at, retry_count, last_error FROM webhook_events WHERE id = $1", [id]))[0]).toEqual({ processed_at: null, retry_count: attempt, last_error: "Stripe answered 503" });
    }
    expect(await processWebhookEvent(withApi(), id)).toMatchObject({ outcome: "processed" });
    expect((await billingOf("matrix-spa")).status).toBe("active");
  });
});

describe("Cal.com", () => {
  it("attributed by our appointment id in the metadata, else recorded without a company; both processed", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const ctx = contextFor(createDomainDeps(scratch.db, null), { companyId: f.companyId, correlationId: "wh-2", actor: { type: "system" }, source: "api" });
    const booked = await createAppointment(ctx, bookingRequest(f, { start: at(localDate(6), "12:00"), staffId: f.staffIds[0], idempotencyKey: randomId("k") }));
    expect(await deliver(noApi(), "calcom", calcomBookingEvent("BOOKING_CREATED", { metadata: { askproaiAppointmentId: booked.id } }))).toMatchObject({ outcome: "processed", companyId: f.companyId });
    expect(await deliver(noApi(), "calcom", calcomBookingEvent("BOOKING_CANCELLED"))).toMatchObject({ outcome: "processed", companyId: null });
  });
});

describe("sweep", () => {
  it("lists events unprocessed for longer than the threshold (not those given up), and prunes processed ones past retention", async () => {
    const waiting = await store("calcom", calcomBookingEvent("BOOKING_RESCHEDULED"));
    const givenUp = await store("calcom", calcomBookingEvent("BOOKING_RESCHEDULED"));
    await sql("UPDATE webhook_events SET received_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[])", [[waiting, givenUp]]);
    await sql("UPDATE webhook_events SET retry_count = 50 WHERE id = $1", [givenUp]);
    const stuck = (await stuckWebhookEvents(scratch.db, { olderThanMs: 30_000 })).map((e) => e.webhookEventId);
    expect(stuck).toContain(waiting);
    expect(stuck).not.toContain(givenUp);
    expect((await stuckWebhookEvents(scratch.db, { olderThanMs: 120_000 })).map((e) => e.webhookEventId)).not.toContain(waiting);

    const old = await store("calcom", calcomBookingEvent("BOOKING_CREATED"));
    await processWebhookEvent(noApi(), old);
    await sql("UPDATE webhook_events SET processed_at = now() - interval '31 days' WHERE id = $1", [old]);
    expect(await pruneWebhookEvents(scratch.db, 30)).toBeGreaterThanOrEqual(1);
    expect(await sql("SELECT 1 FROM webhook_events WHERE id = $1", [old])).toHaveLength(0);
    expect(await sql("SELECT 1 FROM webhook_events WHERE id = $1", [waiting])).toHaveLength(1);
  });
});
