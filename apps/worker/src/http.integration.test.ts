import { clearRedisPrefix, createScratchDatabase, scratchRedisPrefix, type ScratchDatabase } from "@askproai/db/testing";
import { createLogger } from "@askproai/shared/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerHttp } from "./http.js";
import { startWorker } from "./worker.js";

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => scratch?.drop());

describe("the worker's HTTP side", () => {
  it("answers /readyz while PostgreSQL and Redis answer, and /metrics with queue depths behind its token", async () => {
    const prefix = scratchRedisPrefix();
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
    const running = await startWorker({
      db: scratch.db, logger: createLogger({ level: "silent", service: "t" }), redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", queuePrefix: `${prefix}bull`,
    });
    const http = await startWorkerHttp({ db: scratch.db, redis, queues: () => Object.values(running.queues), host: "127.0.0.1", port: 0, metricsToken: "worker-metrics-token-0123" });
    try {
      const ready = await fetch(`${http.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: "ready", checks: { postgresql: "up", redis: "up" } });
      expect((await fetch(`${http.url}/metrics`)).status).toBe(401);
      // The queue dashboard: a browser passes the token as the Basic-auth password.
      expect((await fetch(`${http.url}/queues`)).headers.get("www-authenticate")).toMatch(/^Basic/);
      const basic = `Basic ${Buffer.from("ops:worker-metrics-token-0123").toString("base64")}`;
      const board = await fetch(`${http.url}/queues`, { headers: { authorization: basic } });
      expect(board.status).toBe(200);
      expect(await board.text()).toMatch(/<html/i);
      const queues = await fetch(`${http.url}/queues/api/queues`, { headers: { authorization: basic } });
      expect(((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toContain("maintenance");
      const res = await fetch(`${http.url}/metrics`, { headers: { authorization: "Bearer worker-metrics-token-0123" } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toMatch(/askproai_queue_jobs\{[^}]*queue="maintenance"[^}]*state="delayed"[^}]*\} \d+/);
      expect(text).toMatch(/askproai_outbox_lag_seconds\{[^}]*\} \d/);
      redis.disconnect();
      const down = await fetch(`${http.url}/readyz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ down: ["redis"] });
    } finally {
      await http.close();
      await running.close();
      redis.disconnect();
      await clearRedisPrefix(prefix);
    }
  });
});
