/**
 * The hottest read, availability.slots, served without re-encoding its answer: the domain layer keeps
 * each answer serialised once per availability version, and this handler wraps it in tRPC's own
 * response envelope ({"result":{"data":…}}). Requests it cannot answer as a plain single query
 * (batching, malformed input, no token) go on to the tRPC handler, which produces the canonical error;
 * once it has authenticated and started, it answers itself: a domain error in the shared error shape,
 * anything unexpected to the one error handler (logged once), never the same work twice.
 */
import { authenticate } from "@askproai/db/auth";
import { getAvailabilityAnswer } from "@askproai/db/availability";
import { availabilityQuery, isDomainError } from "@askproai/shared";
import type { RequestHandler } from "express";
import type { ApiDeps } from "../deps.js";
import { sendError } from "../errors.js";
import { bearerToken, operationContextOf } from "../trpc.js";

export const AVAILABILITY_PATH = "/trpc/availability.slots";

const parseInput = (input: unknown) => {
  if (typeof input !== "string") return null;
  try {
    const parsed = availabilityQuery.safeParse(JSON.parse(input));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

export const availabilityFastPath =
  (deps: ApiDeps): RequestHandler =>
  async (req, res, next) => {
    const token = bearerToken(req.get("authorization"));
    const query = req.query.batch === undefined && token ? parseInput(req.query.input) : null;
    if (!query || !token) return next();
    try {
      const session = await authenticate(deps.db, token);
      if (!session) return next();
      const ctx = operationContextOf(deps, session, {
        correlationId: res.locals.correlationId as string,
        client: req.get("x-askproai-client"),
        log: req.log,
      });
      const answer = await getAvailabilityAnswer(ctx, query);
      res.type("application/json").send(`{"result":{"data":${answer.json}}}`);
    } catch (error) {
      if (isDomainError(error)) return sendError(res, error, "availability.slots");
      next(error);
    }
  };
