import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { clearRedisPrefix, createFixtureCompany, createScratchDatabase, scratchRedisPrefix, type ScratchDatabase } from "@askproai/db/testing";
import { createLogger } from "@askproai/shared/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAINTENANCE_QUEUE, PRUNE_OUTBOX_JOB, PURGE_LOCKS_JOB, startWorker } from "./worker.js";

let scratch: ScratchDatabase;

beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => scratch?.drop());

const lock = (f: { companyId: string; branchId: string; staffIds: string[] }, startsAt: string, expiresInMs: number) =>
  scratch.db.appointmentLock.create({
    data: {
      companyId: f.companyId, branchId: f.branchId, staffId: f.staffIds[0]!, startsAt: new Date(startsAt),
      endsAt: new Date(Date.parse(startsAt) + 30 * 60_000), expiresAt: new Date(Date.now() + expiresInMs),
      holder: "test", correlationId: "test",
    },
  });

describe("maintenance worker", () => {
  it("purges expired slot locks on its repeatable schedule and keeps live ones", async () => {
    const f = await createFixtureCompany(scratch.db, { staffCount: 1 });
    await lock(f, "2030-03-01T10:00:00Z", -60_000);
    await lock(f, "2030-03-01T11:00:00Z", -1);
    const live = await lock(f, "2030-03-01T12:00:00Z", 10 * 60_000);

    const prefix = scratchRedisPrefix();
    const running = await startWorker({
      db: scratch.db, logger: createLogger({ level: "silent", service: "worker-test" }),
      redisUrl: "redis://127.0.0.1:6379", queuePrefix: `${prefix}bull`, purgeEveryMs: 200,
    });
    try {
      await expect.poll(() => scratch.db.appointmentLock.count(), { timeout: 10_000, interval: 100 }).toBe(1);
      expect((await scratch.db.appointmentLock.findFirst())?.id).toBe(live.id);
      const schedulers = await running.queue(MAINTENANCE_QUEUE).getJobSchedulers();
      expect(schedulers.map((s) => s.key).sort()).toEqual([PRUNE_OUTBOX_JOB, PURGE_LOCKS_JOB].sort());
    } finally {
      await running.close();
      await clearRedisPrefix(prefix);
    }
  });

  it("registers the schedules once, however often the worker starts", async () => {
    const prefix = scratchRedisPrefix();
    const opts = { db: scratch.db, logger: createLogger({ level: "silent", service: "t" }), redisUrl: "redis://127.0.0.1:6379", queuePrefix: `${prefix}bull` };
    const a = await startWorker(opts);
    await a.close();
    const b = await startWorker(opts);
    expect(await b.queue(MAINTENANCE_QUEUE).getJobSchedulersCount()).toBe(2);
    await b.close();
    await clearRedisPrefix(prefix);
  });

  it("shuts down cleanly on SIGTERM", { timeout: 90_000 }, async () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), "..");
    const prefix = scratchRedisPrefix();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: scratch.url, REDIS_PREFIX: prefix, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    await expect.poll(() => out, { timeout: 60_000, interval: 100 }).toContain("worker started");
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("worker stopping");
    await clearRedisPrefix(prefix);
  });
});
