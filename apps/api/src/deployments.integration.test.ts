/**
 * Deployments that share a Redis (issue 9, item 8): two deployments, each an API and a worker process
 * started as `npm start` starts them, on two databases and ONE Redis, with no REDIS_PREFIX set. The
 * default prefix comes from the database name, so neither sees the other's jobs, login limits or keys.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { seedDemoData } from "@askproai/db/seed";
import { clearRedisPrefix, createScratchDatabase, type ScratchDatabase } from "@askproai/db/testing";
import { defaultRedisPrefix } from "@askproai/shared/server";
import { Queue, QueueEvents, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, http } from "./testing/server.js";

const apps = join(dirname(fileURLToPath(import.meta.url)), "../..");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

interface Deployment {
  scratch: ScratchDatabase;
  prefix: string;
  base: string;
  processes: ChildProcess[];
  output: string[];
}

const deployments: Deployment[] = [];

/** One `npm start`: the API and the worker, exactly their main files, with nothing but DATABASE_URL told apart. */
const start = async (): Promise<Deployment> => {
  const scratch = await createScratchDatabase();
  await seedDemoData(scratch.db, { nodeEnv: "test" });
  const port = await freePort();
  const { REDIS_PREFIX: _unset, ...inherited } = process.env;
  const env = { ...inherited, DATABASE_URL: scratch.url, REDIS_URL, PORT: String(port), WORKER_HTTP_PORT: "0", LOG_LEVEL: "info", NODE_ENV: "test" };
  const deployment: Deployment = { scratch, prefix: defaultRedisPrefix(scratch.url), base: `http://127.0.0.1:${port}`, processes: [], output: [] };
  for (const app of ["api", "worker"]) {
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: join(apps, app), env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d: Buffer) => deployment.output.push(d.toString()));
    child.stderr!.on("data", (d: Buffer) => deployment.output.push(d.toString()));
    deployment.processes.push(child);
  }
  deployments.push(deployment);
  return deployment;
};

const stop = async (d: Deployment) => {
  await Promise.all(
    d.processes.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    })),
  );
};

let redis: Redis;
beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await Promise.all(deployments.map(stop));
  for (const d of deployments) {
    await clearRedisPrefix(d.prefix).catch(() => undefined);
    await d.scratch.drop();
  }
  redis.disconnect();
});

const queueOf = (d: Deployment) => new Queue("maintenance", { prefix: `${d.prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) as ConnectionOptions });
const keysOf = async (pattern: string) => {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
};

describe("two deployments on two databases and one Redis, default REDIS_PREFIX", () => {
  it("do not see each other's jobs, login limits or keys", { timeout: 120_000 }, async () => {
    const [a, b] = [await start(), await start()];
    expect(a.prefix).not.toBe(b.prefix);
    for (const d of [a, b]) {
      await expect.poll(async () => (await fetch(`${d.base}/readyz`).catch(() => null))?.status ?? 0, { timeout: 60_000, interval: 200 }).toBe(200);
      await expect.poll(async () => (await queueOf(d).getJobSchedulersCount()), { timeout: 60_000, interval: 200 }).toBe(1);
    }

    // A job put on A's queue is done by A's worker (against A's database) and never appears in B's.
    const [queueA, queueB] = [queueOf(a), queueOf(b)];
    const events = new QueueEvents("maintenance", { prefix: `${a.prefix}bull`, connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }) as ConnectionOptions });
    await events.waitUntilReady();
    try {
      const lockOf = (d: Deployment) =>
        d.scratch.db.$transaction(async (tx) => {
          const branch = await tx.branch.findFirstOrThrow({ include: { staffBranches: true } });
          return tx.appointmentLock.create({
            data: {
              companyId: branch.companyId, branchId: branch.id, staffId: branch.staffBranches[0]!.staffId, startsAt: new Date("2031-01-06T10:00:00Z"),
              endsAt: new Date("2031-01-06T10:30:00Z"), expiresAt: new Date(Date.now() - 60_000), holder: "deployments-test", correlationId: "deployments-test",
            },
          });
        });
      await lockOf(a);
      const job = await queueA.add("purge-expired-locks", {}, { jobId: "deployments-probe" });
      await job.waitUntilFinished(events, 30_000);
      expect(await a.scratch.db.appointmentLock.count({ where: { holder: "deployments-test" } })).toBe(0);
      expect(await queueB.getJob("deployments-probe")).toBeUndefined();
      expect((await queueA.getJob("deployments-probe"))?.finishedOn).toBeGreaterThan(0);
    } finally {
      await events.close();
      await queueA.close();
      await queueB.close();
    }

    // Failed logins lock the address out of A only: the same demo email exists in both databases.
    const [clientA, clientB] = [http(a.base), http(b.base)];
    for (let i = 0; i < 5; i++) await clientA.mutation("auth.login", { email: "desk@simple-salon.example", password: "wrong-password" });
    expect((await clientA.mutation("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" })).status).toBe(429);
    expect((await clientB.mutation("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" })).status).toBe(200);

    // Every key either deployment wrote sits under its own prefix.
    const keysA = await keysOf(`${a.prefix}*`);
    const keysB = await keysOf(`${b.prefix}*`);
    expect(keysA.some((k) => k.startsWith(`${a.prefix}bull:maintenance:`))).toBe(true);
    expect(keysA.some((k) => k.startsWith(`${a.prefix}login:`))).toBe(true);
    expect(keysB.some((k) => k.startsWith(`${b.prefix}bull:maintenance:`))).toBe(true);
    expect(keysB.some((k) => k.startsWith(`${b.prefix}login:`))).toBe(false);
    expect(keysA.filter((k) => keysB.includes(k))).toEqual([]);
  });
});
