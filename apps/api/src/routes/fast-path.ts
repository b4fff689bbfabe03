/**
 * The two hottest procedures, availability.slots and appointments.create, answered without tRPC's
 * fetch adapter: it turns every Node request into a Fetch Request and its answer into a Response with
 * web streams, about 0.8 ms of CPU per call here (`npm run bench:profile`), more than the booking's own
 * logic. The steps are protectedProcedure's (the same `authorize`: session, company budget, a logger with
 * user and company, operation context) and the answers are tRPC's: its `{"result":{"data":…}}` envelope, `no-store`, the
 * one error shape with the procedure's path. A request it cannot answer as a plain single call (a
 * batch, no token, input that does not parse, an unknown session) goes on to tRPC, which gives the
 * canonical answer; once it has authenticated, it answers itself (never the same work twice).
 */
import type { OperationContext } from "@askproai/db";
import type { Request, RequestHandler } from "express";
import type { ApiDeps } from "../deps.js";
import { sendError } from "../errors.js";
import { asDomainError, authorize, bearerToken } from "../trpc.js";

export const fastProcedure =
  <I>(deps: ApiDeps, path: string, parse: (req: Request) => I | null, answer: (ctx: OperationContext, input: I) => Promise<string>): RequestHandler =>
  async (req, res, next) => {
    const token = bearerToken(req.get("authorization"));
    const input = req.query.batch === undefined && token ? parse(req) : null;
    if (input === null || !token) return next();
    try {
      const authorized = await authorize(deps, token, { correlationId: res.locals.correlationId as string, client: req.get("x-askproai-client"), log: req.log });
      if (!authorized) return next();
      const json = await answer(authorized.op, input);
      // As tRPC answers it (no ETag to hash: nothing here may be cached).
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(`{"result":{"data":${json}}}`);
    } catch (error) {
      const known = asDomainError(error);
      if (known) return sendError(res, known, path);
      next(error);
    }
  };
