/**
 * The worker's own small HTTP server (bound to WORKER_HTTP_HOST, loopback by default), for operators:
 * `/healthz`, `/readyz` (PostgreSQL and Redis answer), `/metrics` (Prometheus text, with queue depths read
 * from BullMQ on each scrape) and `/queues` (bull-board: every queue, its jobs, retries and failures).
 * Queues hold every company's jobs, so this is the platform operators' view, never a company's: with
 * `METRICS_TOKEN` set it needs that token (Bearer, or as the password of HTTP Basic auth so a browser
 * can open /queues); without it, loopback clients only.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { timingSafeEqual } from "node:crypto";
import type { Db } from "@askproai/db";
import { collectProcessMetrics, metrics, refreshOutboxGauges, registry } from "@askproai/db/ops";
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Queue } from "bullmq";
import express, { type Request, type RequestHandler } from "express";
import type { Redis } from "ioredis";

const STATES = ["waiting", "active", "delayed", "failed", "prioritized"] as const;
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

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

const sameSecret = (given: string, token: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

const givenToken = (req: Request) => {
  const header = req.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  return basic ? Buffer.from(basic, "base64").toString("utf8").split(":").slice(1).join(":") : "";
};

const operatorsOnly =
  (token: string | undefined): RequestHandler =>
  (req, res, next) => {
    if (token ? sameSecret(givenToken(req), token) : LOOPBACK.has(req.socket.remoteAddress ?? "")) return next();
    if (token) res.setHeader("www-authenticate", 'Basic realm="AskProAI operators"');
    res.status(token ? 401 : 403).json({ error: "operators only" });
  };

export const startWorkerHttp = async (deps: WorkerHttpDeps): Promise<{ server: Server; url: string; close(): Promise<void> }> => {
  collectProcessMetrics("worker");
  const app = express();
  app.disable("x-powered-by");
  app.use((_req, res, next) => {
    res.setHeader("cache-control", "no-store");
    next();
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", instance: process.pid });
  });
  app.get("/readyz", async (_req, res) => {
    const [pgCheck, redisCheck] = await Promise.allSettled([withTimeout(deps.db.$queryRaw`SELECT 1`, 1_500), withTimeout(deps.redis.ping(), 1_500)]);
    const checks = { postgresql: pgCheck.status === "fulfilled" ? "up" : "down", redis: redisCheck.status === "fulfilled" ? "up" : "down" };
    const down = Object.entries(checks).filter(([, s]) => s === "down").map(([n]) => n);
    res.status(down.length ? 503 : 200).json(down.length ? { status: "unavailable", down, checks } : { status: "ready", checks });
  });
  const guard = operatorsOnly(deps.metricsToken);
  app.get("/metrics", guard, async (_req, res) => {
    await Promise.allSettled([refreshQueueGauges(deps.queues()), refreshOutboxGauges(deps.db)]);
    res.type(registry.contentType).send(await registry.metrics());
  });
  const board = new ExpressAdapter();
  board.setBasePath("/queues");
  createBullBoard({ queues: deps.queues().map((q) => new BullMQAdapter(q, { readOnlyMode: false })), serverAdapter: board });
  app.use("/queues", guard, board.getRouter() as RequestHandler);
  app.use((_req, res) => {
    res.status(404).json({ error: "no such route" });
  });

  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(deps.port, deps.host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://${deps.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
