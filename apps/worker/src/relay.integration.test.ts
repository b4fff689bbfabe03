/**
 * The outbox relay against the real PostgreSQL and Redis: booking → outbox row → one job → one message;
 * the NOTIFY wake-up; two relays over the same rows; Redis down (a TCP proxy taken away); unrouted topics;
 * the pruning of dispatched rows.
 */
import { metrics } from "@askproai/db/ops";
import { OutboxRelay, outboxJobId, pruneDispatchedOutbox, type RelayQueue } from "@askproai/db/outbox";
import { clearRedisPrefix, createFixtureCompany, redisProxy, scratchRedisPrefix, useMessagingStandIns } from "@askproai/db/testing";
import { createLogger } from "@askproai/shared/server";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import type { WorkerArea } from "./areas.js";
import { startWorkerRelay } from "./relay.js";
import { REDIS_URL, useWorkerBed } from "./testing/bed.js";
import { MESSAGING_QUEUE, NOTIFICATION_JOB, startWorker } from "./worker.js";

const TEST_TOPIC = "relay.test";
const { bed, sql, book, later } = useWorkerBed();
const gw = useMessagingStandIns({ timeoutMs: 2_000 });
const silent = createLogger({ level: "silent", service: "relay-test" });
const outboxRow = async (id: string) =>
  (await sql<{ dispatchedAt: Date | null; createdAt: Date; availableAt: Date; attempts: number; lastError: string | null }>(
    `SELECT dispatched_at AS "dispatchedAt", created_at AS "createdAt", available_at AS "availableAt", attempts, last_error AS "lastError"
     FROM outbox_events WHERE id = $1`, [id],
  ))[0]!;
const counterValue = async (counter: { get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }> }, labels: Record<string, string>) =>
  (await counter.get()).values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0;
/** Rows of a topic no worker area consumes, so only the relay under test moves them. */
const insertTestRows = async (companyId: string, count: number, topic = TEST_TOPIC) =>
  (await sql<{ id: string }>(
    `INSERT INTO outbox_events (id, company_id, topic, aggregate_id, payload, correlation_id, created_at, available_at, attempts)
     SELECT gen_random_uuid(), $1, $2, 'agg-' || i, jsonb_build_object('n', i), 'corr-' || i, clock_timestamp(), now(), 0
     FROM generate_series(1, $3::int) i RETURNING id`,
    [companyId, topic, count],
  )).map((r) => r.id);
const testQueue = (prefix: string, name = "relaytest") => {
  const queue = new Queue(name, { prefix: `${prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) });
  later(() => queue.close());
  return queue;
};

const startTestWorker = async (relay: { pollMs: number }) => {
  const prefix = scratchRedisPrefix();
  const running = await startWorker({
    db: bed.scratch.db, logger: silent, redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`,
    messaging: { transports: gw.transports, retryBaseMs: 100, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000 },
    purgeEveryMs: 600_000, relay,
  });
  later(() => clearRedisPrefix(prefix));
  later(() => running.close());
  return running;
};

describe("outbox relay in the worker", () => {
  it("a booking's outbox row becomes one job; the confirmation is planned and sent once", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, to, outboxId } = await book(f, 5, "10:00");
    const running = await startTestWorker({ pollMs: 5_000 });
    await expect.poll(() => gw.sms.messages.filter((m) => m.to === to).length, { timeout: 15_000, interval: 50 }).toBe(1);
    const row = await outboxRow(outboxId);
    expect(row.dispatchedAt).not.toBeNull();
    expect(row.attempts).toBe(1);
    const queue = running.queue(MESSAGING_QUEUE);
    const jobs = (await queue.getJobs(["completed", "active", "waiting", "failed", "delayed"])).filter((j) => j.name === NOTIFICATION_JOB);
    expect(jobs.map((j) => j.id)).toEqual([outboxJobId(outboxId)]);
    // Ids only: the row's payload, its id, company and correlation id.
    expect(jobs[0]!.data).toEqual({
      appointmentId: appointment.id, version: 1, kind: "confirmation", outboxId, companyId: f.companyId, correlationId: expect.any(String) as string,
    });
    const messages = () => sql<{ kind: string; state: string }>("SELECT kind, state FROM messages WHERE appointment_id = $1", [appointment.id]);
    await expect.poll(messages, { timeout: 5_000, interval: 50 }).toEqual([{ kind: "confirmation", state: "sent" }]);
    // A second pass finds nothing more to do.
    await running.relay!.kick();
    expect(await queue.getJobs(["completed", "active", "waiting", "failed", "delayed"]).then((js) => js.filter((j) => j.name === NOTIFICATION_JOB).length)).toBe(1);
    expect(gw.sms.messages.filter((m) => m.to === to)).toHaveLength(1);
  });

  it("wakes on NOTIFY: with a 60 s poll, a committed booking's job starts well within a second", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    await startTestWorker({ pollMs: 60_000 });
    await new Promise((r) => setTimeout(r, 300)); // the start-up pass is over: only a notification can wake the relay now
    for (const time of ["09:00", "11:00", "14:00"]) {
      const { outboxId } = await book(f, 9, time);
      const committed = Date.now();
      await expect.poll(async () => (await outboxRow(outboxId)).dispatchedAt, { timeout: 5_000, interval: 10 }).not.toBeNull();
      expect(Date.now() - committed).toBeLessThan(1_000);
      // From the booking transaction's start (the row's created_at) to the job's start (job_attempts).
      const startedMs = async () =>
        (await sql<{ ms: number }>(
          `SELECT extract(epoch FROM j.started_at - o.created_at) * 1000 AS ms FROM job_attempts j JOIN outbox_events o ON j.job_id = 'outbox-' || o.id::text
           WHERE o.id = $1`, [outboxId],
        ))[0]?.ms ?? null;
      await expect.poll(startedMs, { timeout: 5_000, interval: 20 }).not.toBeNull();
      expect(Number(await startedMs())).toBeLessThan(1_000);
    }
  });
});

describe("outbox relay on its own", () => {
  const relayOver = (queue: RelayQueue, options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) => {
    const relay = new OutboxRelay({ db: bed.scratch.db, routes: { [TEST_TOPIC]: { queue, job: TEST_TOPIC } }, log: silent, pollMs: 60_000, ...options });
    later(() => relay.stop());
    return relay;
  };

  it("two relays over 500 rows at once: every row enqueued exactly once, one job each", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const prefix = scratchRedisPrefix();
    later(() => clearRedisPrefix(prefix));
    const added = [[], []] as string[][];
    // Two queue clients (two processes' worth); each remembers what its relay handed to Redis.
    const counting = (i: number): RelayQueue => {
      const queue = testQueue(prefix);
      return { addBulk: (jobs) => (added[i]!.push(...jobs.map((j) => j.opts.jobId)), queue.addBulk(jobs)) };
    };
    const relayedBefore = await counterValue(metrics.outboxRelayed, { topic: TEST_TOPIC });
    const relays = [relayOver(counting(0), { batchSize: 10 }), relayOver(counting(1), { batchSize: 10 })];
    await Promise.all(relays.map((r) => r.start()));
    const ids = (await Promise.all([1, 2, 3, 4, 5].map(() => insertTestRows(f.companyId, 100)))).flat();
    await expect.poll(async () => Number((await sql<{ n: string }>("SELECT count(*) AS n FROM outbox_events WHERE topic = $1 AND dispatched_at IS NULL", [TEST_TOPIC]))[0]!.n), { timeout: 30_000, interval: 100 }).toBe(0);
    const all = [...added[0]!, ...added[1]!];
    expect(all).toHaveLength(500);
    expect(new Set(all)).toEqual(new Set(ids.map(outboxJobId)));
    expect(added[0]!.length).toBeGreaterThan(0);
    expect(added[1]!.length).toBeGreaterThan(0);
    expect(await testQueue(prefix).getJobCountByTypes("waiting")).toBe(500);
    expect(await sql("SELECT DISTINCT attempts FROM outbox_events WHERE topic = $1", [TEST_TOPIC])).toEqual([{ attempts: 1 }]);
    expect(await counterValue(metrics.outboxRelayed, { topic: TEST_TOPIC })).toBe(relayedBefore + 500);
    await sql("DELETE FROM outbox_events WHERE topic = $1", [TEST_TOPIC]);
  });

  it("Redis down: rows stay pending with attempts, last_error and a growing backoff; they go out as soon as Redis is back", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const prefix = scratchRedisPrefix();
    later(() => clearRedisPrefix(prefix));
    const proxy = await redisProxy();
    later(() => proxy.stop());
    const area: WorkerArea = { queue: "relaytest", processors: {}, jobOptions: { attempts: 3 }, concurrency: 1, topics: { [TEST_TOPIC]: TEST_TOPIC }, schedules: [] };
    const failuresBefore = await counterValue(metrics.outboxRelayFailures, { stage: "enqueue" });
    // The worker's own wiring (fail-fast connection) through the proxy; backoff 2 s, 4 s, 8 s, …
    const relay = await startWorkerRelay({
      db: bed.scratch.db, areas: [area], logger: silent, redisUrl: proxy.url, queuePrefix: `${prefix}bull`,
      settings: { pollMs: 60_000, retryBaseMs: 2_000, retryMaxMs: 60_000, enqueueTimeoutMs: 1_000 },
    });
    later(() => relay.close());
    await proxy.stop();
    const [id] = await insertTestRows(f.companyId, 1);
    await expect.poll(async () => (await outboxRow(id!)).attempts, { timeout: 15_000, interval: 50 }).toBe(2);
    const down = await outboxRow(id!);
    expect(down.dispatchedAt).toBeNull();
    expect(down.lastError).toMatch(/^enqueue: /);
    // The second failure pushed the row 4 s ahead (the first: 2 s).
    const [{ aheadMs }] = (await sql<{ aheadMs: number }>(`SELECT extract(epoch FROM available_at - now()) * 1000 AS "aheadMs" FROM outbox_events WHERE id = $1`, [id])) as [{ aheadMs: number }];
    expect(Number(aheadMs)).toBeGreaterThan(2_500);
    expect(await counterValue(metrics.outboxRelayFailures, { stage: "enqueue" })).toBeGreaterThanOrEqual(failuresBefore + 2);
    const queue = testQueue(prefix);
    expect(await queue.getJob(outboxJobId(id!))).toBeUndefined();

    await proxy.start();
    await expect.poll(async () => (await outboxRow(id!)).dispatchedAt, { timeout: 20_000, interval: 50 }).not.toBeNull();
    // Not after waiting out the backoff: the reconnect made the row due at once.
    const [{ early }] = (await sql<{ early: boolean }>("SELECT dispatched_at < $2::timestamptz AS early FROM outbox_events WHERE id = $1", [id, down.availableAt])) as [{ early: boolean }];
    expect(early).toBe(true);
    const job = await queue.getJob(outboxJobId(id!));
    expect(job?.data).toMatchObject({ n: 1, outboxId: id, companyId: f.companyId, correlationId: "corr-1" });
    expect(job?.opts.attempts).toBe(3); // the area's job options
    await sql("DELETE FROM outbox_events WHERE topic = $1", [TEST_TOPIC]);
  });

  it("rows of a topic nobody consumes stay pending, and the relay says so once", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const prefix = scratchRedisPrefix();
    later(() => clearRedisPrefix(prefix));
    const [orphan] = await insertTestRows(f.companyId, 1, "nobody.listens");
    const lines: { topic?: string; msg: string }[] = [];
    const log = pino({ level: "warn" }, { write: (line: string) => void lines.push(JSON.parse(line) as { topic?: string; msg: string }) });
    const relay = relayOver(testQueue(prefix), { log });
    await relay.start();
    const [routed] = await insertTestRows(f.companyId, 1);
    await expect.poll(async () => (await outboxRow(routed!)).dispatchedAt, { timeout: 10_000, interval: 50 }).not.toBeNull();
    await relay.kick();
    expect((await outboxRow(orphan!)).dispatchedAt).toBeNull();
    expect(lines.filter((l) => l.topic === "nobody.listens")).toHaveLength(1);
    expect(lines.find((l) => l.topic === "nobody.listens")?.msg).toMatch(/stay pending/);
    await sql("DELETE FROM outbox_events WHERE topic IN ($1, 'nobody.listens')", [TEST_TOPIC]);
  });

  it("prunes dispatched rows past the retention; newer and pending rows stay", async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const [old, recent, pending] = await insertTestRows(f.companyId, 3, "prune.test");
    await sql("UPDATE outbox_events SET dispatched_at = now() - interval '8 days' WHERE id = $1", [old]);
    await sql("UPDATE outbox_events SET dispatched_at = now() - interval '6 days' WHERE id = $1", [recent]);
    await sql("UPDATE outbox_events SET created_at = now() - interval '30 days' WHERE id = $1", [pending]);
    expect(await pruneDispatchedOutbox(bed.scratch.db, 7 * 86_400_000)).toBe(1);
    const left = await sql<{ id: string }>("SELECT id FROM outbox_events WHERE topic = 'prune.test' ORDER BY id");
    expect(left.map((r) => r.id).sort()).toEqual([recent, pending].sort());
    await sql("DELETE FROM outbox_events WHERE topic = 'prune.test'");
  });
});
