import { randomUUID } from "node:crypto";
import { DomainError } from "@askproai/shared";
import express, { type RequestHandler } from "express";
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

  mountRoutes(app, deps);

  app.use((_req, res) => sendError(res, new DomainError("NOT_FOUND", "no such route")));
  app.use(errorHandler);
  return app;
};
