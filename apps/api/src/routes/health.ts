import type { Express } from "express";
import type { ApiDeps } from "../deps.js";

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

export const checkReadiness = async (deps: ApiDeps) => {
  const [postgresql, redis] = await Promise.allSettled([withTimeout(deps.db.$queryRaw`SELECT 1`, 1_500), withTimeout(deps.redis.ping(), 1_500)]);
  const checks = {
    postgresql: postgresql.status === "fulfilled" ? "up" : "down",
    redis: redis.status === "fulfilled" ? "up" : "down",
  } as const;
  const down = Object.entries(checks).filter(([, state]) => state === "down").map(([name]) => name);
  return { ready: down.length === 0, checks, down };
};

/** `/healthz`: the process runs. `/readyz`: PostgreSQL and Redis answer (else 503 naming what is down). */
export const mountHealth = (app: Express, deps: ApiDeps) => {
  app.get("/healthz", (_req, res) => {
    // `instance` tells processes apart behind one port (API_PROCESSES > 1).
    res.json({ status: "ok", instance: process.pid });
  });
  app.get("/readyz", async (_req, res) => {
    const { ready, checks, down } = await checkReadiness(deps);
    res.status(ready ? 200 : 503).json(ready ? { status: "ready", checks } : { status: "unavailable", message: `unavailable: ${down.join(", ")}`, down, checks });
  });
};
