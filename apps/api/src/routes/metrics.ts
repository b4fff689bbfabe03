/**
 * `GET /metrics` (Prometheus text) and the request-duration histogram behind it. Route labels are
 * bounded: a known tRPC procedure name, "batch", or the matched Express route path; never raw URLs.
 * Protected by `METRICS_TOKEN` when set, else readable from loopback only.
 */
import { timingSafeEqual } from "node:crypto";
import { collectProcessMetrics, metrics, refreshOutboxGauges, registry } from "@askproai/db/ops";
import { DomainError } from "@askproai/shared";
import type { Express, Request, RequestHandler } from "express";
import type { ApiDeps } from "../deps.js";
import { sendError } from "../errors.js";
import { appRouter } from "../root.js";

const PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

const routeLabel = (req: Request) => {
  const path = req.originalUrl.split("?")[0] ?? "";
  if (path.startsWith("/trpc/")) {
    const name = path.slice("/trpc/".length);
    if (name.includes(",")) return "trpc:batch";
    return PROCEDURES.has(name) ? `trpc:${name}` : "trpc:unknown";
  }
  const route = (req as Request & { route?: { path?: unknown } }).route?.path;
  return typeof route === "string" ? route : "unmatched";
};

export const httpMetrics: RequestHandler = (req, res, next) => {
  const end = metrics.httpDuration.startTimer();
  res.once("finish", () => {
    if (req.path === "/metrics") return;
    end({ route: routeLabel(req), method: req.method, status: `${Math.floor(res.statusCode / 100)}xx` });
  });
  next();
};

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

const allowed = (req: Request, token: string | undefined) => {
  if (!token) return LOOPBACK.has(req.socket.remoteAddress ?? "");
  const given = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1] ?? "";
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
};

export const mountMetrics = (app: Express, deps: ApiDeps) => {
  collectProcessMetrics("api");
  app.get("/metrics", async (req, res) => {
    if (!allowed(req, deps.config.METRICS_TOKEN)) return sendError(res, new DomainError("FORBIDDEN", "metrics are not public"));
    await refreshOutboxGauges(deps.db).catch(() => undefined);
    res.type(registry.contentType).send(await registry.metrics());
  });
};
