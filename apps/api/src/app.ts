import { randomUUID } from "node:crypto";
import { DomainError } from "@askproai/shared";
import cors from "cors";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { ApiDeps } from "./deps.js";
import { errorHandler, sendError } from "./errors.js";
import { mountRoutes } from "./routes/index.js";

export { checkReadiness } from "./routes/health.js";

const CORRELATION_HEADER = "x-correlation-id";
const SAFE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Takes the caller's correlation id when it is sane, else makes one; echoes it on the response. */
const correlation: RequestHandler = (req, res, next) => {
  const given = req.get(CORRELATION_HEADER);
  const id = given && SAFE_CORRELATION_ID.test(given) ? given : randomUUID();
  res.locals.correlationId = id;
  res.setHeader(CORRELATION_HEADER, id);
  next();
};

/** TRUST_PROXY as Express understands it: false, "loopback", a hop count or a list of addresses. */
export const trustProxySetting = (value: string): boolean | number | string | string[] => {
  const v = value.trim();
  if (v === "" || v === "false") return false;
  if (v === "true") return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(",").map((s) => s.trim()).filter(Boolean);
};

/** Deny by default: only the configured browser origins get CORS headers (scripts send no Origin). */
const corsPolicy = (origins: string) => {
  const allowed = new Set(origins.split(",").map((o) => o.trim()).filter(Boolean));
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ["GET", "POST"],
    allowedHeaders: ["content-type", "authorization", "x-correlation-id", "x-askproai-client", "last-event-id"],
    exposedHeaders: ["x-correlation-id", "retry-after"],
    maxAge: 600,
  });
};

export const createApp = (deps: ApiDeps) => {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxySetting(deps.config.TRUST_PROXY));
  app.use(correlation);
  // An API answers JSON only: no page may frame or run anything from it; nothing is cacheable.
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } }));
  app.use((_req, res, next) => {
    res.setHeader("cache-control", "no-store");
    next();
  });
  app.use(corsPolicy(deps.config.CORS_ORIGINS));
  // A preflight from an origin that is not allowed is answered too, without CORS headers: the browser refuses.
  app.options(/.*/, (_req, res) => {
    res.status(204).end();
  });
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => res.locals.correlationId as string,
      customAttributeKeys: { reqId: "correlationId" },
      // The correlation id on every line of the request (the req serializer below keeps only method and url):
      // req.log is a child bound to it alone. (customProps did the same at the cost of a third child logger
      // and a stringified binding per request, even with nothing logged: ~15% of a webhook ack's CPU.)
      quietReqLogger: true,
      // An error is logged once, with its stack, where it is handled ("procedure failed", "request failed"):
      // the request's own line keeps its status but not the stand-in error pino-http makes for any 5xx.
      customErrorObject: (_req, _res, error, value: Record<string, unknown>) => (/^failed with status code \d+$/.test(error.message) ? { ...value, err: undefined } : value),
      // Health probes would drown everything else.
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url.split("?")[0] }),
      },
    }),
  );
  app.use((req, res, next) => {
    res.locals.log = req.log;
    next();
  });

  mountRoutes(app, deps);

  app.use((_req, res) => sendError(res, new DomainError("NOT_FOUND", "no such route")));
  app.use(errorHandler);
  return app;
};
