/**
 * The messaging queue end to end: real BullMQ on the real Redis, the real PostgreSQL, the SMS gateway
 * stand-in over real HTTP. Jobs are added as the outbox relay adds them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { contextFor, createDomainDeps, poolOf, type OperationContext } from "@askproai/db";
import { cancelAppointment, createAppointment, rescheduleAppointment } from "@askproai/db/booking";
import {
  SMS_FROM, at, bookingRequest, clearRedisPrefix, createFixtureCompany, createScratchDatabase, localDate, scratchRedisPrefix, useMessagingStandIns,
  type FixtureCompany, type ScratchDatabase,
} from "@askproai/db/testing";
import { createLogger } from "@askproai/shared/server";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MESSAGING_QUEUE, NOTIFICATION_JOB, startWorker, type MessagingSettings } from "./worker.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
let scratch: ScratchDatabase;
const gw = useMessagingStandIns({ timeoutMs: 1_000 });
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step().catch(() => undefined);
});
afterAll(async () => scratch?.drop());

let seq = 0;
const ctxOf = (f: FixtureCompany): OperationContext =>
  contextFor(createDomainDeps(scratch.db, null), { companyId: f.companyId, correlationId: `wq-${seq++}`, actor: { type: "system" }, source: "api" });
const phone = () => `+49152${String(1_000_000 + Math.floor(Math.random() * 8_999_999))}`;
const smsTo = (to: string) => gw.sms.messages.filter((m) => m.to === to && m.direction === "outbound-api");
const book = async (f: FixtureCompany, start: string) => {
  const to = phone();
  const appointment = await createAppointment(ctxOf(f), bookingRequest(f, { start, staffId: f.staffIds[0], customer: { phone: to, name: "Max Muster" } }));
  return { appointment, to };
};
const stateOf = async (appointmentId: string) =>
  (await poolOf(scratch.db).query<{ kind: string; state: string; detail: string | null; attempts: number }>(
    "SELECT kind, state, detail, attempts FROM messages WHERE appointment_id = $1 ORDER BY created_at", [appointmentId],
  )).rows;

const startTestWorker = async (settings: Partial<MessagingSettings> & { now?: () => number; prefix?: string } = {}) => {
  const { now, prefix = scratchRedisPrefix(), ...rest } = settings;
  const running = await startWorker({
    db: scratch.db, logger: createLogger({ level: "silent", service: "worker-test" }), redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`,
    messaging: { transports: gw.transports, retryBaseMs: 100, sweepEveryMs: 60_000, reminderScanEveryMs: 60_000, ...rest },
    now, purgeEveryMs: 600_000, stalledIntervalMs: 500,
    relay: false, // these tests add the relay's jobs themselves (relay.integration.test.ts runs it)
  });
  cleanup.push(() => clearRedisPrefix(prefix), () => running.close());
  return running;
};

describe("messaging queue", () => {
  it("a booking's notification job → one confirmation SMS; the same job again (relay retry) sends nothing more", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const { appointment, to } = await book(f, at(localDate(5), "10:00"));
    const running = await startTestWorker();
    const data = { companyId: f.companyId, appointmentId: appointment.id, kind: "confirmation", version: appointment.version, correlationId: "corr-1" };
    await running.queue(MESSAGING_QUEUE).add(NOTIFICATION_JOB, data, { jobId: "outbox-1" });
    await expect.poll(() => smsTo(to).length, { timeout: 10_000, interval: 50 }).toBe(1);
    expect(smsTo(to)[0]!.body).toMatch(/um 10:00 Uhr/);
    await running.queue(MESSAGING_QUEUE).add(NOTIFICATION_JOB, data, { jobId: "outbox-1-again" });
    await expect.poll(async () => (await running.queue(MESSAGING_QUEUE).getJobCounts("completed")).completed, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await new Promise((r) => setTimeout(r, 300));
    expect(smsTo(to)).toHaveLength(1);
    expect(await stateOf(appointment.id)).toEqual([{ kind: "confirmation", state: "sent", detail: null, attempts: 1 }]);
  });

  it("gateway down for a while → retried with backoff, sent once after recovery", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const { appointment, to } = await book(f, at(localDate(6), "11:00"));
    gw.sms.faults.add({ kind: "status", status: 503, durationMs: 2_500 });
    const running = await startTestWorker();
    await running.queue(MESSAGING_QUEUE).add(NOTIFICATION_JOB, { companyId: f.companyId, appointmentId: appointment.id, kind: "confirmation", version: 1 });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(smsTo(to)).toHaveLength(0);
    expect((await stateOf(appointment.id))[0]!.state).toBe("sending");
    await expect.poll(() => smsTo(to).length, { timeout: 15_000, interval: 100 }).toBe(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo(to)).toHaveLength(1);
    expect(gw.sms.requests.filter((r) => r.method === "POST" && !r.fault)).toHaveLength(1);
    expect((await stateOf(appointment.id))[0]!.state).toBe("sent");
  });

  it("reminders follow the clock: 24 h before, not again, follow a reschedule; a cancelled appointment is never reminded", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const day = localDate(30);
    const start = DateTime.fromISO(`${day}T15:00`, { zone: "Europe/Berlin" }).toMillis();
    const kept = await book(f, at(day, "15:00"));
    const dropped = await book(f, at(day, "12:00"));
    await cancelAppointment(ctxOf(f), { id: dropped.appointment.id });
    let clock = start - 28 * 3_600_000;
    await startTestWorker({ reminderScanEveryMs: 150, sweepEveryMs: 150, now: () => clock });
    await new Promise((r) => setTimeout(r, 500));
    clock = start - 24 * 3_600_000 - 5 * 60_000;
    await new Promise((r) => setTimeout(r, 500));
    expect(smsTo(kept.to)).toHaveLength(0);
    clock = start - 24 * 3_600_000;
    await expect.poll(() => smsTo(kept.to).length, { timeout: 10_000, interval: 50 }).toBe(1);
    expect(smsTo(kept.to)[0]!.body).toMatch(/Erinnerung an Ihren Termin: .* um 15:00 Uhr/);
    // Moved to 17:00: the 2 h reminder comes at 15:00, for 17:00.
    await rescheduleAppointment(ctxOf(f), { id: kept.appointment.id, start: at(day, "17:00"), expectedVersion: 1 });
    clock = start - 60_000;
    await new Promise((r) => setTimeout(r, 600));
    expect(smsTo(kept.to)).toHaveLength(1);
    clock = start;
    await expect.poll(() => smsTo(kept.to).length, { timeout: 10_000, interval: 50 }).toBe(2);
    expect(smsTo(kept.to)[1]!.body).toMatch(/um 17:00 Uhr/);
    for (const t of [start - 2 * 3_600_000, start + 3_600_000]) {
      clock = t;
      await new Promise((r) => setTimeout(r, 400));
    }
    expect(smsTo(dropped.to)).toHaveLength(0);
    expect(await stateOf(dropped.appointment.id)).toEqual([]);
    expect(smsTo(kept.to)).toHaveLength(2);
  });
});

describe("a worker killed mid-send", () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const spawnWorker = (prefix: string) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/testing/messaging-worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        ASKPROAI_TEST_WORKER: JSON.stringify({
          databaseUrl: scratch.url, redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`, lockDurationMs: 1_500, inFlightGraceMs: 2_500,
          sms: { baseUrl: gw.sms.url, accountSid: gw.sms.accountSid, authToken: gw.sms.authToken, from: SMS_FROM, timeoutMs: 10_000 },
        }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    return { child, output: () => out };
  };

  it("after the gateway took the SMS but before the worker recorded it → restarted, it finds the SMS at the gateway and sends no duplicate", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    const { appointment, to } = await book(f, at(localDate(7), "09:30"));
    const prefix = scratchRedisPrefix();
    cleanup.push(() => clearRedisPrefix(prefix));
    // The gateway answers slowly: the worker is killed while the request is in flight; the gateway stores it anyway.
    gw.sms.faults.add({ kind: "slow", delayMs: 1_500, count: 1, method: "POST" });
    const first = spawnWorker(prefix);
    cleanup.push(async () => first.child.kill("SIGKILL"));
    await expect.poll(first.output, { timeout: 20_000, interval: 100 }).toContain("ready");

    const queue = new Queue(MESSAGING_QUEUE, { prefix: `${prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) });
    cleanup.push(() => queue.close());
    await queue.add(NOTIFICATION_JOB, { companyId: f.companyId, appointmentId: appointment.id, kind: "confirmation", version: 1 }, { jobId: "outbox-kill" });
    await expect.poll(() => gw.sms.requests.filter((r) => r.method === "POST").length, { timeout: 10_000, interval: 20 }).toBe(1);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    expect((await stateOf(appointment.id))[0]).toMatchObject({ state: "sending", attempts: 1 });
    await expect.poll(() => smsTo(to).length, { timeout: 5_000, interval: 50 }).toBe(1); // the gateway stored it

    await startTestWorker({ inFlightGraceMs: 2_500, prefix });
    // BullMQ takes the dead worker's job up again once its lock expires; the attempt is resolved at the gateway.
    await expect.poll(async () => (await stateOf(appointment.id))[0]?.state, { timeout: 20_000, interval: 100 }).toBe("sent");
    expect(smsTo(to)).toHaveLength(1);
    expect(gw.sms.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    expect((await stateOf(appointment.id))[0]!.detail).toMatch(/found at the gateway/);
  });
});
