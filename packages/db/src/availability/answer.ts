/**
 * availability.slots: answers cached under the branch's availability version (./versions.ts), so an
 * answer is never older than the last committed change, in any process.
 */
import type { AvailabilityOut, AvailabilityQuery, Slot } from "@askproai/shared";
import type { Redis } from "ioredis";
import type { OperationContext } from "../context.js";
import { AvailabilityCache } from "./cache.js";
import { computeAvailability, toSlotOut } from "./compute.js";
import { readAvailabilityVersion } from "./versions.js";

// Cached answers are computed for a notice cut-off rounded up to this step, and keyed by it, so an
// entry never offers a slot that has since moved inside the minimum notice.
const CUTOFF_STEP_MS = 5 * 60_000;

/** One availability answer in the three forms its readers need, built once per version. */
export interface AvailabilityAnswer {
  out: AvailabilityOut;
  /** `out` serialised: what the HTTP fast path sends as is. */
  json: string;
  /** Slots as instants, for candidates and alternatives. */
  slots: Slot[];
}

const answerOf = (out: AvailabilityOut, json: string): AvailabilityAnswer => ({
  out,
  json,
  slots: out.slots.map((s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), staffId: s.staffId })),
});

export type AnswerCache = AvailabilityCache<AvailabilityAnswer>;

export const createAvailabilityCache = (redis: Redis | null, prefix: string): AnswerCache => new AvailabilityCache<AvailabilityAnswer>(redis, prefix);

export type AvailabilityReader = Pick<OperationContext, "companyId" | "sql" | "cache" | "now">;

export const getAvailabilityAnswer = async (ctx: AvailabilityReader, query: AvailabilityQuery): Promise<AvailabilityAnswer> => {
  const bucket = Math.ceil(ctx.now() / CUTOFF_STEP_MS);
  const key = `${ctx.companyId}:${query.serviceId}:${query.staffId ?? "*"}:${query.from}:${query.days}:${bucket}`;
  const compute = async () => {
    const { ctx: loaded, slots } = await computeAvailability(ctx.sql, ctx.companyId, query, bucket * CUTOFF_STEP_MS);
    const out = toSlotOut(slots, loaded.branch.timezone);
    return { out, json: JSON.stringify(out), slots };
  };
  const cache = ctx.cache;
  // Read BEFORE loading: an answer stored under it can only be older data under an older version.
  const version = cache ? await readAvailabilityVersion(ctx.sql, ctx.companyId, query.branchId) : null;
  // No cache, or a branch that is not this company's: compute, which answers NOT_FOUND for the latter.
  if (!cache || version === null) return compute();
  const hit = await cache.get(query.branchId, version, key, (raw: string) => answerOf(JSON.parse(raw) as AvailabilityOut, raw));
  if (hit) return hit;
  return cache.shared(query.branchId, version, key, async () => {
    const answer = await compute();
    await cache.store(query.branchId, version, key, answer.json, answer);
    return answer;
  });
};

export const getAvailability = async (ctx: AvailabilityReader, query: AvailabilityQuery): Promise<AvailabilityOut> =>
  (await getAvailabilityAnswer(ctx, query)).out;
