import { createExpressMiddleware } from "@trpc/server/adapters/express";
import { authenticate } from "@askproai/db/auth";
import { DomainError } from "@askproai/shared";
import express, { type Express, type RequestHandler } from "express";
import type { ApiDeps } from "../deps.js";
import { appRouter } from "../root.js";
import { sendError } from "../errors.js";
import { bookingFastPath } from "./booking-fast-path.js";
import { guardQueryInput, verifyJsonDepth } from "./json-limits.js";
import { bearerToken, createContextFactory, trpcRequestCorrelation } from "../trpc.js";

export const TRPC_BODY_LIMIT = "256kb";
/** Calls per batched request (documented in README); more is a 400. */
export const MAX_BATCH_SIZE = 20;

/** Subscriptions answer over a long-lived 200 stream; refuse a bad token before it opens, as a plain 401. */
const SUBSCRIPTIONS = ["/trpc/events.onChange"];

const authenticateSubscription =
  (deps: ApiDeps): RequestHandler =>
  async (req, res, next) => {
    let token = bearerToken(req.get("authorization"));
    if (!token && typeof req.query.connectionParams === "string") {
      try {
        token = (JSON.parse(req.query.connectionParams) as { token?: unknown }).token as string | undefined;
      } catch {
        token = undefined;
      }
    }
    const session = typeof token === "string" ? await authenticate(deps.db, token, deps.sessions).catch(() => null) : null;
    if (!session) return sendError(res, new DomainError("UNAUTHORIZED", "a valid bearer token is required"), req.path.slice("/trpc/".length));
    next();
  };

/**
 * The session's request budget, spent once per HTTP request with the batch's size as its weight,
 * before tRPC runs anything: a flooding batch costs one Redis round trip, no database query.
 */
export const sessionBudget =
  (deps: ApiDeps): RequestHandler =>
  async (req, res, next) => {
    const token = bearerToken(req.get("authorization"));
    if (!token) return next();
    const calls = Math.min(MAX_BATCH_SIZE, req.path.split(",").length);
    try {
      await deps.budgets.session(token, calls);
      next();
    } catch (error) {
      if (error instanceof DomainError) return sendError(res, error);
      next(error);
    }
  };

export const mountTrpc = (app: Express, deps: ApiDeps) => {
  app.get(SUBSCRIPTIONS, authenticateSubscription(deps));
  app.use(
    "/trpc",
    guardQueryInput,
    express.json({ limit: TRPC_BODY_LIMIT, verify: verifyJsonDepth }),
    (_req, res, next) => trpcRequestCorrelation.run(res.locals.correlationId as string, next),
    bookingFastPath(deps),
    createExpressMiddleware({
      router: appRouter,
      createContext: createContextFactory(deps),
      // Batching stays on: the contract allows it and the desktop uses it.
      allowBatching: true,
      maxBatchSize: MAX_BATCH_SIZE,
      // Retry-After on answers the client should retry later (overload, rate limits), and never cache anything.
      responseMeta: ({ errors }) => {
        const retry = errors.map((e) => (e.cause as { details?: { retryAfterSeconds?: number } } | undefined)?.details?.retryAfterSeconds).find((s) => s !== undefined);
        return { headers: { "cache-control": "no-store", ...(retry !== undefined ? { "retry-after": String(Math.ceil(retry)) } : {}) } };
      },
      // The one place an unexpected procedure error is logged (expected, coded errors are not).
      onError: ({ error, path, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") (ctx?.log ?? deps.logger).error({ err: error.cause ?? error, path }, "procedure failed");
      },
    }),
  );
};
