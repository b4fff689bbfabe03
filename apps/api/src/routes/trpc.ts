import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express, { type Express } from "express";
import type { ApiDeps } from "../deps.js";
import { appRouter } from "../root.js";
import { createContextFactory } from "../trpc.js";

export const TRPC_BODY_LIMIT = "256kb";

export const mountTrpc = (app: Express, deps: ApiDeps) => {
  app.use(
    "/trpc",
    express.json({ limit: TRPC_BODY_LIMIT }),
    createExpressMiddleware({
      router: appRouter,
      createContext: createContextFactory(deps),
      // Batching stays on: the contract allows it and the desktop uses it.
      allowBatching: true,
      // The one place an unexpected procedure error is logged (expected, coded errors are not).
      onError: ({ error, path, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") (ctx?.log ?? deps.logger).error({ err: error.cause ?? error, path }, "procedure failed");
      },
    }),
  );
};
