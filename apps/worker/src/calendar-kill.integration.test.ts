/**
 * A calendar sync whose worker is SIGKILLed while its Cal.com create is in flight: a real worker child
 * process, the real PostgreSQL and Redis, the Cal.com stand-in over real HTTP.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createAppointment } from "@askproai/db/booking";
import { TEST_SECRETS_KEY, at, bookingRequest, clearRedisPrefix, localDate, scratchRedisPrefix } from "@askproai/db/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { REDIS_URL, useCalendarEnv } from "./testing/calendar-env.js";
import { CALENDAR_QUEUE, CALENDAR_SYNC_JOB } from "./worker.js";

const { env, ctxOf, connected, syncRow, bookingsOf, requestsOf } = useCalendarEnv();

describe("a worker killed mid-sync", () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  const spawnWorker = (prefix: string) => {
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "src/testing/calendar-worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        ASKPROAI_TEST_WORKER: JSON.stringify({
          databaseUrl: env.scratch.url, redisUrl: REDIS_URL, queuePrefix: `${prefix}bull`, calcomUrl: env.calcom.url, secretsKey: TEST_SECRETS_KEY,
          // The second worker must take the job up while Cal.com still holds the create (delay below) and
          // inside the grace: on a loaded machine starting a worker alone took over 10 s, so both are wide.
          timeoutMs: 20_000, inFlightGraceMs: 30_000, lockDurationMs: 1_500,
        }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    env.cleanup.push(async () => child.kill("SIGKILL"));
    return { child, output: () => out };
  };

  it("SIGKILLed while its create is in flight (Cal.com stores it later) → restarted, still exactly one Cal.com booking", { timeout: 100_000 }, async () => {
    const { f, key } = await connected();
    const a = await createAppointment(ctxOf(f), bookingRequest(f, { start: at(localDate(9), "15:00"), staffId: f.staffIds[0] }));
    const prefix = scratchRedisPrefix();
    env.cleanup.push(() => clearRedisPrefix(prefix));
    // Cal.com answers the create slowly: the worker dies meanwhile, Cal.com stores the booking anyway, after
    // the restarted worker has taken the job up again (so only the in-flight grace keeps it from creating twice).
    env.calcom.faults.add({ kind: "slow", delayMs: 20_000, method: "POST", path: "/v2/bookings", count: 1 });
    const first = spawnWorker(prefix);
    await expect.poll(first.output, { timeout: 20_000, interval: 100 }).toContain("ready");
    const queue = new Queue(CALENDAR_QUEUE, { prefix: `${prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) });
    env.cleanup.push(() => queue.close());
    await queue.add(CALENDAR_SYNC_JOB, { companyId: f.companyId, appointmentId: a.id, version: a.version, action: "create" }, { jobId: "outbox-kill", attempts: 20, backoff: { type: "calendar" } }); // the area's options, as the relay adds jobs
    await expect.poll(() => requestsOf(key, "POST").length, { timeout: 15_000, interval: 20 }).toBe(1);
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    expect((await syncRow(a.id)).status).toBe("pending");
    expect((await syncRow(a.id)).uid).toBeNull();

    const second = spawnWorker(prefix);
    await expect.poll(second.output, { timeout: 20_000, interval: 100 }).toContain("ready");
    // BullMQ hands the dead worker's job to the new one once its lock expires; it waits out the in-flight create, then finds it.
    // Taken up again before Cal.com stored the create: it waits (the in-flight grace) instead of creating again.
    await expect.poll(async () => (await syncRow(a.id)).error, { timeout: 25_000, interval: 50 }).toMatch(/an earlier create may still be in flight/);
    expect(bookingsOf(key, a.id)).toHaveLength(0);
    await expect.poll(async () => (await syncRow(a.id)).status, { timeout: 45_000, interval: 100 }).not.toBe("pending");
    expect(await syncRow(a.id)).toMatchObject({ status: "synced", error: null });
    const mine = bookingsOf(key, a.id);
    expect(mine).toHaveLength(1);
    expect((await syncRow(a.id)).uid).toBe(mine[0]!.booking.uid);
    expect(requestsOf(key, "POST")).toHaveLength(1);
  });
});
