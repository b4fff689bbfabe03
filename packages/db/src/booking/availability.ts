import {
  computeSlots,
  notFound,
  toZonedIso,
  type AvailabilityOut,
  type AvailabilityQuery,
  type Slot,
} from "@askproai/shared";
import { loadAvailabilityContext, type LoadedContext, type RawQueryable } from "./loader.js";
import type { AvailabilityCache } from "./cache.js";

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
  db: RawQueryable,
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

export const toSlotOut = (slots: Slot[], timezone: string): AvailabilityOut => ({
  timezone,
  slots: slots.map((s) => ({ start: toZonedIso(s.start, timezone), end: toZonedIso(s.end, timezone), staffId: s.staffId })),
});

// Cached answers are computed for a notice cut-off rounded up to this step, and keyed by it, so an
// entry never offers a slot that has since moved inside the minimum notice.
const CUTOFF_STEP_MS = 5 * 60_000;

/** availability.slots: cached in Redis per branch, never older than the last committed change. */
export const getAvailability = async (
  deps: { db: RawQueryable; cache: AvailabilityCache | null },
  companyId: string,
  query: AvailabilityQuery,
  now = Date.now(),
): Promise<AvailabilityOut> => {
  const bucket = Math.ceil(now / CUTOFF_STEP_MS);
  const key = `${companyId}:${query.serviceId}:${query.staffId ?? "*"}:${query.from}:${query.days}:${bucket}`;
  const cached = deps.cache ? await deps.cache.lookup(query.branchId, key).catch(() => null) : null;
  if (cached?.value) return JSON.parse(cached.value) as AvailabilityOut;

  const { ctx, slots } = await computeAvailability(deps.db, companyId, query, bucket * CUTOFF_STEP_MS);
  const out = toSlotOut(slots, ctx.branch.timezone);
  if (cached && deps.cache) {
    await deps.cache.store(query.branchId, cached.generation, key, JSON.stringify(out)).catch(() => undefined);
  }
  return out;
};
