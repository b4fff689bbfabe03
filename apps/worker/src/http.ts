/**
 * The worker's own small HTTP server (bound to WORKER_HTTP_HOST, loopback by default): `/healthz`,
 * `/readyz` (PostgreSQL and Redis answer) and `/metrics` (Prometheus text, with queue depths read
 * from BullMQ on each scrape). Protected like the API's: `METRICS_TOKEN` when set.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "@askproai/db";
import { collectProcessMetrics, metrics, refreshOutboxGauges, registry } from "@askproai/db/ops";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";

const STATES = ["waiting", "active", "delayed", "failed", "prioritized"] as const;

export interface WorkerHttpDeps {
  db: Db;
  redis: Redis;
  queues: () => Queue[];
  host: string;
  port: number;
  metricsToken?: string;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timeout")), ms).unref())]);

export const refreshQueueGauges = async (queues: Queue[]) => {
  await Promise.all(
    queues.map(async (queue) => {
      const counts = await queue.getJobCounts(...STATES);
      for (const state of STATES) metrics.queueJobs.set({ queue: queue.name, state }, counts[state] ?? 0);
    }),
  );
};

export const startWorkerHttp = async (deps: WorkerHttpDeps): Promise<{ server: Server; url: string; close(): Promise<void> }> => {
  collectProcessMetrics("worker");
  const server = createServer((req, res) => {
    const send = (status: number, body: string, type = "application/json") => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
      res.end(body);
    };
    void (async () => {
      const path = (req.url ?? "/").split("?")[0];
      if (req.method !== "GET") return send(405, JSON.stringify({ error: "method not allowed" }));
      if (path === "/healthz") return send(200, JSON.stringify({ status: "ok" }));
      if (path === "/readyz") {
        const [pgCheck, redisCheck] = await Promise.allSettled([withTimeout(deps.db.$queryRaw`SELECT 1`, 1_500), withTimeout(deps.redis.ping(), 1_500)]);
        const checks = { postgresql: pgCheck.status === "fulfilled" ? "up" : "down", redis: redisCheck.status === "fulfilled" ? "up" : "down" };
        const down = Object.entries(checks).filter(([, s]) => s === "down").map(([n]) => n);
        return send(down.length ? 503 : 200, JSON.stringify(down.length ? { status: "unavailable", down, checks } : { status: "ready", checks }));
      }
      if (path === "/metrics") {
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
        if (deps.metricsToken && token !== deps.metricsToken) return send(403, JSON.stringify({ error: "metrics are not public" }));
        await Promise.allSettled([refreshQueueGauges(deps.queues()), refreshOutboxGauges(deps.db)]);
        return send(200, await registry.metrics(), registry.contentType);
      }
      send(404, JSON.stringify({ error: "no such route" }));
    })().catch(() => send(500, JSON.stringify({ error: "internal error" })));
  });
  await new Promise<void>((resolve) => server.listen(deps.port, deps.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${deps.host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
