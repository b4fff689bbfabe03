/**
 * Deployments that share a Redis (issue 9, item 8): two deployments on two databases and ONE Redis,
 * with no REDIS_PREFIX set. Each is an API (the real app and config, in this process) and a worker
 * process started from its own main file, as `npm start` starts it. The default prefix comes from the
 * database name, so neither sees the other's jobs, login limits or keys.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue, QueueEvents, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { http, startTestApi, type TestApi } from "./testing/server.js";

const workerDir = join(dirname(fileURLToPath(import.meta.url)), "../../worker");
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const connection = () => new Redis(REDIS_URL, { maxRetriesPerRequest: null }) as ConnectionOptions;

interface Deployment {
  api: TestApi;
  prefix: string;
  worker: ChildProcess;
}

const deployments: Deployment[] = [];
let redis: Redis;

/** One deployment: nothing but its DATABASE_URL tells it apart (an empty REDIS_PREFIX counts as unset). */
const start = async (): Promise<Deployment> => {
  const api = await startTestApi({ REDIS_PREFIX: "" });
  const { REDIS_PREFIX: _unset, ...inherited } = process.env;
  const worker = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: workerDir,
    env: { ...inherited, DATABASE_URL: api.scratch.url, REDIS_URL, WORKER_HTTP_PORT: "0", LOG_LEVEL: "warn", NODE_ENV: "test" },
    stdio: "ignore",
  });
  const deployment = { api, prefix: api.deps.config.REDIS_PREFIX, worker };
  deployments.push(deployment);
  return deployment;
};

const stopWorker = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  await Promise.all(deployments.map((d) => stopWorker(d.worker)));
  await Promise.all(deployments.map((d) => d.api.close()));
  redis.disconnect();
});

const keysUnder = async (prefix: string) => {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
};

/** An expired slot lock, which the worker's maintenance job purges. */
const plantExpiredLock = async (d: Deployment) => {
  const branch = await d.api.scratch.db.branch.findFirstOrThrow({ include: { staffBranches: true } });
  await d.api.scratch.db.appointmentLock.create({
    data: {
      companyId: branch.companyId, branchId: branch.id, staffId: branch.staffBranches[0]!.staffId, startsAt: new Date("2031-01-06T10:00:00Z"),
      endsAt: new Date("2031-01-06T10:30:00Z"), expiresAt: new Date(Date.now() - 60_000), holder: "deployments-test", correlationId: "deployments-test",
    },
  });
};

describe("two deployments on two databases and one Redis, default REDIS_PREFIX", () => {
  it("do not see each other's jobs, login limits or keys", { timeout: 120_000 }, async () => {
    const a = await start();
    const b = await start();
    expect(a.prefix).toMatch(/^askproai:askproai_test_\w+:$/);
    expect(b.prefix).not.toBe(a.prefix);
    const [queueA, queueB] = [a, b].map((d) => new Queue("maintenance", { prefix: `${d.prefix}bull`, connection: connection() }));
    const events = new QueueEvents("maintenance", { prefix: `${a.prefix}bull`, connection: connection() });
    try {
      // Each worker registered its schedule on its own deployment's queue.
      const schedules = async (queue: Queue) => (await queue.getJobSchedulers()).map((s) => s.name).sort();
      for (const queue of [queueA!, queueB!]) await expect.poll(() => schedules(queue), { timeout: 60_000, interval: 200 }).toContain("purge-expired-locks");
      expect(await schedules(queueB!)).toEqual(await schedules(queueA!));

      // A job put on A's queue is done by A's worker, against A's database, and never appears in B's.
      await events.waitUntilReady();
      await plantExpiredLock(a);
      const job = await queueA!.add("purge-expired-locks", {}, { jobId: "deployments-probe" });
      await job.waitUntilFinished(events, 30_000);
      expect(await a.api.scratch.db.appointmentLock.count({ where: { holder: "deployments-test" } })).toBe(0);
      expect((await queueA!.getJob("deployments-probe"))?.finishedOn).toBeGreaterThan(0);
      expect(await queueB!.getJob("deployments-probe")).toBeUndefined();
    } finally {
      await events.close();
      await Promise.all([queueA!.close(), queueB!.close()]);
    }

    // Failed logins lock the address out of A only, though the same demo email exists in both databases.
    const [clientA, clientB] = [http(a.api.baseUrl), http(b.api.baseUrl)];
    for (let i = 0; i < 5; i++) await clientA.mutation("auth.login", { email: "desk@simple-salon.example", password: "wrong-password" });
    expect((await clientA.mutation("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" })).status).toBe(429);
    expect((await clientB.mutation("auth.login", { email: "desk@simple-salon.example", password: "demo-pass-123" })).status).toBe(200);

    // Every key either deployment wrote sits under its own prefix.
    const [keysA, keysB] = await Promise.all([keysUnder(a.prefix), keysUnder(b.prefix)]);
    expect(keysA.some((k) => k.startsWith(`${a.prefix}bull:maintenance:`))).toBe(true);
    expect(keysA.some((k) => k.startsWith(`${a.prefix}login:`))).toBe(true);
    expect(keysB.some((k) => k.startsWith(`${b.prefix}bull:maintenance:`))).toBe(true);
    expect(keysB.some((k) => k.startsWith(`${b.prefix}login:`))).toBe(false);
  });
});
