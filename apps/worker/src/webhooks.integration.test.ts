/**
 * The webhooks queue when a worker dies: a worker SIGKILLed while it processes an event (here: waiting
 * for Stripe inside the claiming transaction) leaves nothing of it committed; after a restart BullMQ
 * hands the job to the next worker and the event is applied once.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { poolOf } from "@askproai/db";
import { createStripeApi } from "@askproai/db/billing";
import { seedDemoData } from "@askproai/db/seed";
import { clearRedisPrefix, createScratchDatabase, scratchRedisPrefix, type ScratchDatabase } from "@askproai/db/testing";
import { storeWebhookEvent, webhookJobs, WEBHOOKS_QUEUE } from "@askproai/db/webhooks";
import { createLogger } from "@askproai/shared/server";
import { startStripeStandIn, type StripeStandIn } from "@askproai/stand-ins";
import { stripeEvent } from "@askproai/stand-ins/webhooks";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "./worker.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let scratch: ScratchDatabase;
let stripe: StripeStandIn;
const cleanup: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
  stripe = await startStripeStandIn();
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await stripe?.close();
  await scratch?.drop();
});

const sql = <T extends Record<string, unknown>>(text: string, values: unknown[] = []) => poolOf(scratch.db).query<T>(text, values).then((r) => r.rows);

describe("a worker killed mid-job", () => {
  it("SIGKILL while processing a Stripe event → nothing committed; restarted, the event is applied once", { timeout: 60_000 }, async () => {
    const prefix = scratchRedisPrefix();
    cleanup.push(() => clearRedisPrefix(prefix));
    stripe.setSubscription({ id: "sub_demo_matrix_spa", customer: "cus_demo_matrix_spa", status: "past_due", currentPeriodEnd: 2_000_000_000 });
    // Stripe answers slowly: the worker is killed inside the claiming transaction, waiting for it.
    stripe.faults.add({ kind: "slow", delayMs: 4_000, count: 1, path: "/v1/subscriptions" });

    const child = spawn(process.execPath, ["--import", "tsx", "src/testing/messaging-worker.ts"], {
      cwd: join(dirname(fileURLToPath(import.meta.url)), ".."),
      env: {
        ...process.env,
        ASKPROAI_TEST_WORKER: JSON.stringify({
          databaseUrl: scratch.url, redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`, lockDurationMs: 1_500, inFlightGraceMs: 1_000, stripeUrl: stripe.url,
          sms: { baseUrl: "http://127.0.0.1:9", accountSid: "AC00000000000000000000000000000000", authToken: "x", from: "+493023125000", timeoutMs: 1_000 },
        }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    cleanup.push(async () => child.kill("SIGKILL"));
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toContain("ready");

    const body = stripeEvent("customer.subscription.updated", { customer: "cus_demo_matrix_spa", status: "active" });
    const stored = await storeWebhookEvent(scratch.db, { source: "stripe", eventId: body.id, eventType: body.type, payload: JSON.stringify(body), correlationId: "kill-1" });
    const queue = new Queue(WEBHOOKS_QUEUE, { prefix: `${prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) });
    cleanup.push(() => queue.close());
    const [job] = webhookJobs([{ webhookEventId: stored.id, correlationId: stored.correlationId }]);
    await queue.add(job!.name, job!.data, job!.opts);

    const fetched = () => stripe.requests.filter((r) => r.path.startsWith("/v1/subscriptions")).length;
    await expect.poll(fetched, { timeout: 15_000, interval: 20 }).toBe(1);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const row = async () => (await sql<{ processed: boolean; retry_count: number; last_error: string | null }>(
      "SELECT processed_at IS NOT NULL AS processed, retry_count, last_error FROM webhook_events WHERE id = $1", [stored.id]))[0];
    expect(await row()).toEqual({ processed: false, retry_count: 0, last_error: null });
    expect(await sql("SELECT billing_status::text AS s FROM companies WHERE slug = 'matrix-spa'")).toEqual([{ s: "active" }]);

    const running = await startWorker({
      db: scratch.db, logger: createLogger({ level: "silent", service: "worker-test" }), redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`,
      purgeEveryMs: 600_000, stalledIntervalMs: 500, relay: false,
      messaging: { transports: { sms: null, mail: null }, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000, waitlistEveryMs: 600_000 },
      webhooks: { stripe: createStripeApi({ baseUrl: stripe.url, apiKey: "sk_test_worker" }), sweepEveryMs: 600_000 },
    });
    cleanup.push(() => running.close());
    await expect.poll(async () => (await row())?.processed, { timeout: 30_000, interval: 100 }).toBe(true);
    expect(await row()).toEqual({ processed: true, retry_count: 0, last_error: null });
    expect(await sql("SELECT billing_status::text AS s FROM companies WHERE slug = 'matrix-spa'")).toEqual([{ s: "past_due" }]);
    const runs = await sql<{ outcome: string }>("SELECT outcome FROM job_attempts WHERE job_id = $1 ORDER BY started_at", [job!.opts.jobId]);
    expect(runs.filter((r) => r.outcome === "completed")).toHaveLength(1);
    expect(fetched()).toBe(2);
  });
});

describe("the webhooks sweep", () => {
  it("queues an event again whose job ended without processing it (it found the row held by a worker that then died)", { timeout: 60_000 }, async () => {
    const prefix = scratchRedisPrefix();
    cleanup.push(() => clearRedisPrefix(prefix));
    const body = stripeEvent("customer.subscription.updated", { customer: "cus_demo_simple_salon", created: Math.floor(Date.now() / 1000) });
    const stored = await storeWebhookEvent(scratch.db, { source: "stripe", eventId: body.id, eventType: body.type, payload: JSON.stringify(body), correlationId: "sweep-test" });
    // A dying worker's transaction holds the row: the job finds it busy and completes without processing it.
    const holder = await poolOf(scratch.db).connect();
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM webhook_events WHERE id = $1::uuid FOR UPDATE", [stored.id]);
    const running = await startWorker({
      db: scratch.db, logger: createLogger({ level: "silent", service: "worker-test" }), redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`, relay: false,
      messaging: { transports: { sms: null, mail: null }, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000, waitlistEveryMs: 600_000 },
      webhooks: { stripe: null, stuckAfterMs: 1_000, sweepEveryMs: 600_000 },
    });
    cleanup.push(() => running.close());
    const queue = running.queue(WEBHOOKS_QUEUE);
    const [job] = webhookJobs([{ webhookEventId: stored.id, correlationId: "sweep-test" }]);
    await queue.add(job!.name, job!.data, job!.opts);
    await expect.poll(async () => (await queue.getJob(job!.opts.jobId))?.returnvalue?.outcome, { timeout: 20_000 }).toBe("busy");
    await holder.query("ROLLBACK");
    holder.release();

    await new Promise((resolve) => setTimeout(resolve, 1_100)); // stuck for longer than stuckAfterMs
    await queue.add("webhooks.sweep", {});
    await expect.poll(async () => (await sql<{ processed: boolean }>("SELECT processed_at IS NOT NULL AS processed FROM webhook_events WHERE id = $1::uuid", [stored.id]))[0]?.processed, { timeout: 20_000 }).toBe(true);
    expect((await scratch.db.company.findUniqueOrThrow({ where: { slug: "simple-salon" } })).billingEventId).toBe(body.id);
  });
});
