/**
 * The hottest read, availability.slots, served without re-encoding its answer: the domain layer keeps
 * each answer serialised once per cache generation, and this handler wraps it in tRPC's own response
 * envelope ({"result":{"data":…}}). It only ever answers success; anything else (batching, malformed
 * input, a bad token, a domain error) falls through to the tRPC handler, which produces the one
 * canonical error shape. The integration test checks both paths give identical answers.
 */
import { authenticate, getAvailabilityAnswer, poolOf } from "@askproai/db";
import { availabilityQuery } from "@askproai/shared";
import type { RequestHandler } from "express";
import type { ApiDeps } from "./deps.js";
import { bearerToken } from "./trpc.js";

export const AVAILABILITY_PATH = "/trpc/availability.slots";

export const availabilityFastPath =
  (deps: ApiDeps): RequestHandler =>
  async (req, res, next) => {
    const input = req.query.input;
    const token = bearerToken(req.get("authorization"));
    if (req.query.batch !== undefined || typeof input !== "string" || !token) return next();
    let query;
    try {
      const parsed = availabilityQuery.safeParse(JSON.parse(input));
      if (!parsed.success) return next();
      query = parsed.data;
    } catch {
      return next();
    }
    try {
      const session = await authenticate(deps.db, token);
      if (!session) return next();
      const answer = await getAvailabilityAnswer({ db: poolOf(deps.db), cache: deps.availabilityCache }, session.user.companyId, query);
      res.type("application/json").send(`{"result":{"data":${answer.json}}}`);
    } catch {
      next();
    }
  };
