/**
 * availability.slots without tRPC's adapter (./fast-path.ts), and without re-encoding its answer: the
 * domain layer keeps each answer serialised once per availability version.
 */
import { getAvailabilityAnswer } from "@askproai/db/availability";
import { availabilityQuery } from "@askproai/shared";
import type { ApiDeps } from "../deps.js";
import { fastProcedure } from "./fast-path.js";

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

export const availabilityFastPath = (deps: ApiDeps) =>
  fastProcedure(deps, "availability.slots", (req) => parseInput(req.query.input), async (ctx, query) => (await getAvailabilityAnswer(ctx, query)).json);
