import {
  computeSlots,
  notFound,
  zonedIsoFormatter,
  type AvailabilityOut,
  type AvailabilityQuery,
  type Slot,
} from "@askproai/shared";
import type { Queryable } from "../sql.js";
import { loadAvailabilityContext, type LoadedContext } from "./loader.js";
import type { Redis } from "ioredis";
import { AvailabilityCache } from "./cache.js";

const DAY_MS = 86_400_000;
// A local date's instants lie within these bounds in every zone on earth (UTC-12 … UTC+14).
const ZONE_SLACK_MS = 15 * 3_600_000;

export interface SlotComputation {
  ctx: LoadedContext;
  slots: Slot[];
}

/**
 * Loads and computes availability for a local date range, straight from PostgreSQL.
 * `now` is the instant minimum notice and horizon are measured from.
 */
export const computeAvailability = async (
  db: Queryable,
  companyId: string,
  query: Pick<AvailabilityQuery, "branchId" | "serviceId" | "staffId" | "from" | "days">,
  now: number,
  extra: { excludeAppointmentId?: string; excludeLockId?: string; holdsOnly?: boolean } = {},
): Promise<SlotComputation> => {
  const dayStart = Date.parse(`${query.from}T00:00:00Z`);
  if (Number.isNaN(dayStart)) throw new RangeError(`invalid local date ${query.from}`);
  const ctx = await loadAvailabilityContext(db, {
    companyId,
    branchId: query.branchId,
    serviceId: query.serviceId,
    staffIds: query.staffId ? [query.staffId] : undefined,
    from: dayStart - ZONE_SLACK_MS - DAY_MS,
    to: dayStart + query.days * DAY_MS + ZONE_SLACK_MS + DAY_MS,
    ...extra,
  });
  if (query.staffId && !ctx.staff.some((s) => s.id === query.staffId)) throw notFound("staff member");
  const slots = computeSlots({
    businessModel: ctx.company.businessModel,
    timezone: ctx.branch.timezone,
    fromDate: query.from,
    days: query.days,
    now,
    policy: {
      slotStepMinutes: ctx.company.slotStepMinutes,
      minNoticeMinutes: ctx.company.minNoticeMinutes,
      horizonDays: ctx.company.horizonDays,
    },
    service: ctx.service,
    staff: ctx.staff,
    rules: ctx.rules,
    exceptions: ctx.exceptions,
    busy: ctx.busy,
    resources: ctx.resources,
  });
  return { ctx, slots };
};

export const toSlotOut = (slots: Slot[], timezone: string): AvailabilityOut => {
  const iso = zonedIsoFormatter(timezone);
  return { timezone, slots: slots.map((s) => ({ start: iso(s.start), end: iso(s.end), staffId: s.staffId })) };
};

// Cached answers are computed for a notice cut-off rounded up to this step, and keyed by it, so an
// entry never offers a slot that has since moved inside the minimum notice.
const CUTOFF_STEP_MS = 5 * 60_000;

/** One availability answer in the three forms its readers need, built once per generation. */
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

// Concurrent identical questions under the same generation share one computation (e.g. the 199 losers
// of a contended slot asking for alternatives). A request that starts after a booking reads the new
// generation and therefore never joins a computation that began before it. Without a generation (no
// cache, or Redis unreachable) nothing proves that, so nothing is shared.
const inFlight = new Map<string, Promise<AvailabilityAnswer>>();

export type AnswerCache = AvailabilityCache<AvailabilityAnswer>;

export const createAvailabilityCache = (redis: Redis, prefix: string): AnswerCache => new AvailabilityCache<AvailabilityAnswer>(redis, prefix);

/** availability.slots: cached per branch generation, never older than the last committed change. */
export const getAvailabilityAnswer = async (
  deps: { db: Queryable; cache: AnswerCache | null },
  companyId: string,
  query: AvailabilityQuery,
  now = Date.now(),
): Promise<AvailabilityAnswer> => {
  const bucket = Math.ceil(now / CUTOFF_STEP_MS);
  const key = `${companyId}:${query.serviceId}:${query.staffId ?? "*"}:${query.from}:${query.days}:${bucket}`;
  const cache = deps.cache;
  const generation = cache ? await cache.generation(query.branchId).catch(() => null) : null;
  if (cache && generation !== null) {
    const hit = await cache.get(query.branchId, generation, key, (raw) => answerOf(JSON.parse(raw) as AvailabilityOut, raw)).catch(() => null);
    if (hit) return hit;
  }
  const compute = async () => {
    const { ctx, slots } = await computeAvailability(deps.db, companyId, query, bucket * CUTOFF_STEP_MS);
    const out = toSlotOut(slots, ctx.branch.timezone);
    const json = JSON.stringify(out);
    const answer: AvailabilityAnswer = { out, json, slots };
    if (cache && generation !== null) await cache.store(query.branchId, generation, key, json, answer).catch(() => undefined);
    return answer;
  };
  if (generation === null) return compute();
  const flightKey = `${query.branchId}:${generation}:${key}`;
  let flight = inFlight.get(flightKey);
  if (!flight) {
    flight = compute().finally(() => inFlight.delete(flightKey));
    inFlight.set(flightKey, flight);
  }
  return flight;
};

export const getAvailability = async (
  deps: { db: Queryable; cache: AnswerCache | null },
  companyId: string,
  query: AvailabilityQuery,
  now = Date.now(),
): Promise<AvailabilityOut> => (await getAvailabilityAnswer(deps, companyId, query, now)).out;
