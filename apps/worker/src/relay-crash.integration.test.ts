/**
 * Crashes around the outbox relay, with worker processes (src/testing/messaging-worker.ts) killed by
 * SIGKILL: a relay dying between enqueueing a row's job and marking the row, and a worker dying in the
 * middle of a job. After a restart each effect exists exactly once (jobs counted in Redis, SMS at the
 * gateway stand-in, message rows in PostgreSQL).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { outboxJobId } from "@askproai/db/outbox";
import { SMS_FROM, clearRedisPrefix, createFixtureCompany, scratchRedisPrefix, useMessagingStandIns } from "@askproai/db/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { REDIS_URL, useWorkerBed } from "./testing/bed.js";
import { MESSAGING_QUEUE, NOTIFICATION_JOB } from "./worker.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { bed, sql, book, later } = useWorkerBed();
const gw = useMessagingStandIns({ timeoutMs: 2_000 });
const dispatchedAt = async (outboxId: string) => (await sql<{ at: Date | null }>("SELECT dispatched_at AS at FROM outbox_events WHERE id = $1", [outboxId]))[0]!.at;
const messagesOf = (appointmentId: string) => sql<{ kind: string; state: string }>("SELECT kind, state FROM messages WHERE appointment_id = $1", [appointmentId]);
const smsTo = (to: string) => gw.sms.messages.filter((m) => m.to === to && m.direction === "outbound-api");

const spawnWorker = (prefix: string, relay: { pollMs: number; hangAfterEnqueue?: boolean }) => {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/testing/messaging-worker.ts"], {
    cwd: root,
    env: {
      ...process.env,
      ASKPROAI_TEST_WORKER: JSON.stringify({
        databaseUrl: bed.scratch.url, redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`, lockDurationMs: 1_500, inFlightGraceMs: 2_500, relay,
        sms: { baseUrl: gw.sms.url, accountSid: gw.sms.accountSid, authToken: gw.sms.authToken, from: SMS_FROM, timeoutMs: 10_000 },
      }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  later(async () => {
    child.kill("SIGKILL");
    await exited;
  });
  return {
    output: () => out,
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
};

const messagingQueue = (prefix: string) => {
  const queue = new Queue(MESSAGING_QUEUE, { prefix: `${prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) });
  later(() => queue.close());
  return queue;
};
const notificationJobs = async (queue: Queue) =>
  (await queue.getJobs(["completed", "active", "waiting", "failed", "delayed", "prioritized"])).filter((j) => j.name === NOTIFICATION_JOB);

describe("crashes around the outbox relay", () => {
  it("a relay killed between enqueue and mark → the next relay adds no second job; one confirmation", { timeout: 90_000 }, async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, to, outboxId } = await book(f, 4, "10:00");
    const prefix = scratchRedisPrefix();
    later(() => clearRedisPrefix(prefix));
    const queue = messagingQueue(prefix);

    const first = spawnWorker(prefix, { pollMs: 60_000, hangAfterEnqueue: true });
    await expect.poll(first.output, { timeout: 40_000, interval: 100 }).toContain(`enqueued ${outboxId}`);
    await first.kill();
    expect(await dispatchedAt(outboxId)).toBeNull();
    expect((await queue.getJob(outboxJobId(outboxId)))?.data).toMatchObject({ outboxId, appointmentId: appointment.id });

    const second = spawnWorker(prefix, { pollMs: 60_000 });
    await expect.poll(second.output, { timeout: 40_000, interval: 100 }).toContain("ready");
    await expect.poll(() => dispatchedAt(outboxId), { timeout: 10_000, interval: 50 }).not.toBeNull();
    await expect.poll(() => messagesOf(appointment.id), { timeout: 15_000, interval: 100 }).toEqual([{ kind: "confirmation", state: "sent" }]);
    expect((await notificationJobs(queue)).map((j) => j.id)).toEqual([outboxJobId(outboxId)]);
    expect(smsTo(to)).toHaveLength(1);
  });

  it("a worker killed in the middle of a relayed job → after restart the message exists and was sent exactly once", { timeout: 90_000 }, async () => {
    const f = await createFixtureCompany(bed.scratch.db, { staffCount: 1 });
    const { appointment, to, outboxId } = await book(f, 4, "12:00");
    const prefix = scratchRedisPrefix();
    later(() => clearRedisPrefix(prefix));
    const queue = messagingQueue(prefix);
    // The gateway answers slowly: the worker dies while the SMS request is in flight (the gateway keeps it).
    gw.sms.faults.add({ kind: "slow", delayMs: 1_500, count: 1, method: "POST" });

    const first = spawnWorker(prefix, { pollMs: 60_000 });
    await expect.poll(() => gw.sms.requests.filter((r) => r.method === "POST").length, { timeout: 40_000, interval: 20 }).toBe(1);
    await first.kill();
    expect(await dispatchedAt(outboxId)).not.toBeNull();
    expect(await messagesOf(appointment.id)).toEqual([{ kind: "confirmation", state: "sending" }]);

    const second = spawnWorker(prefix, { pollMs: 60_000 });
    await expect.poll(second.output, { timeout: 40_000, interval: 100 }).toContain("ready");
    await expect.poll(() => messagesOf(appointment.id), { timeout: 20_000, interval: 100 }).toEqual([{ kind: "confirmation", state: "sent" }]);
    expect(smsTo(to)).toHaveLength(1);
    expect(gw.sms.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect((await notificationJobs(queue)).map((j) => j.id)).toEqual([outboxJobId(outboxId)]);
  });
});
