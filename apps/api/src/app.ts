import { randomUUID } from "node:crypto";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import { httpStatusOf, isDomainError } from "@askproai/shared";
import type { ApiDeps } from "./deps.js";
import { AVAILABILITY_PATH, availabilityFastPath } from "./fast-paths.js";
import { appRouter } from "./root.js";
import { createContextFactory } from "./trpc.js";

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

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

export const checkReadiness = async (deps: ApiDeps) => {
  const [postgresql, redis] = await Promise.allSettled([
    withTimeout(deps.db.$queryRaw`SELECT 1`, 1_500),
    withTimeout(deps.redis.ping(), 1_500),
  ]);
  const checks = {
    postgresql: postgresql.status === "fulfilled" ? "up" : "down",
    redis: redis.status === "fulfilled" ? "up" : "down",
  } as const;
  const down = Object.entries(checks).filter(([, state]) => state === "down").map(([name]) => name);
  return { ready: down.length === 0, checks, down };
};

export const createApp = (deps: ApiDeps) => {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(correlation);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => res.locals.correlationId as string,
      customAttributeKeys: { reqId: "correlationId" },
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

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  app.get("/readyz", async (_req, res) => {
    const { ready, checks, down } = await checkReadiness(deps);
    res.status(ready ? 200 : 503).json(ready ? { status: "ready", checks } : { status: "unavailable", message: `unavailable: ${down.join(", ")}`, down, checks });
  });

  app.get(AVAILABILITY_PATH, availabilityFastPath(deps));
  app.use(
    "/trpc",
    express.json({ limit: "256kb" }),
    createExpressMiddleware({
      router: appRouter,
      createContext: createContextFactory(deps),
      // Batching stays on: the contract allows it and the desktop uses it.
      allowBatching: true,
      onError: ({ error, path, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") ctx?.log.error({ err: error.cause ?? error, path }, "trpc internal error");
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: { code: "NOT_FOUND", message: "no such route" } });
  });

  const errors: ErrorRequestHandler = (error, req, res, _next) => {
    const status = isDomainError(error) ? httpStatusOf[error.code] : typeof error?.status === "number" ? error.status : 500;
    if (status >= 500) req.log?.error({ err: error }, "request failed");
    res.status(status).json({
      error: {
        code: isDomainError(error) ? error.code : status === 400 ? "BAD_REQUEST" : "INTERNAL",
        message: status < 500 || isDomainError(error) ? String(error.message) : `internal error (correlation id ${res.locals.correlationId})`,
      },
    });
  };
  app.use(errors);
  return app;
};
