import { computeSlots, notFound, zonedIsoFormatter, type AvailabilityOut, type AvailabilityQuery, type Slot } from "@askproai/shared";
import type { Queryable } from "../sql.js";
import { loadAvailabilityContext, type LoadedContext } from "./loader.js";

const DAY_MS = 86_400_000;
// A local date's instants lie within these bounds in every zone on earth (UTC-12 … UTC+14).
const ZONE_SLACK_MS = 15 * 3_600_000;

export interface SlotComputation {
  ctx: LoadedContext;
  slots: Slot[];
}

/**
 * Loads and computes availability for a local date range, straight from PostgreSQL (a pool, or the
 * connection of a booking transaction). `now` is the instant minimum notice and horizon are measured from.
 */
export const computeAvailability = async (
  db: Queryable,
  companyId: string,
  query: Pick<AvailabilityQuery, "branchId" | "serviceId" | "staffId" | "from" | "days">,
  now: number,
  extra: { excludeAppointmentId?: string; excludeLockId?: string; holdsOnly?: boolean; excludeHoldsOf?: string | null; unknownStaffOffersNothing?: boolean } = {},
): Promise<SlotComputation> => {
  const { unknownStaffOffersNothing, ...load } = extra;
  if (Number.isNaN(Date.parse(`${query.from}T00:00:00Z`))) throw new RangeError(`invalid local date ${query.from}`);
  const ctx = await loadAvailabilityContext(db, {
    companyId,
    branchId: query.branchId,
    serviceId: query.serviceId,
    staffIds: query.staffId ? [query.staffId] : undefined,
    ...loadRangeOf(query),
    ...load,
  });
  // A query names only staff of this branch; a booking's recheck lets the caller explain (../booking/conflicts.ts).
  if (query.staffId && !unknownStaffOffersNothing && !ctx.staff.some((s) => s.id === query.staffId)) throw notFound("staff member");
  return { ctx, slots: slotsOf(ctx, query, now) };
};

/** The instant range `loadAvailabilityContext` must cover for slots of `days` local days from `from`. */
export const loadRangeOf = (query: Pick<AvailabilityQuery, "from" | "days">) => {
  const dayStart = Date.parse(`${query.from}T00:00:00Z`);
  return { from: dayStart - ZONE_SLACK_MS - DAY_MS, to: dayStart + query.days * DAY_MS + ZONE_SLACK_MS + DAY_MS };
};

/** The pure slot computation over data already loaded (covering `loadRangeOf(query)`). */
export const slotsOf = (ctx: LoadedContext, query: Pick<AvailabilityQuery, "from" | "days">, now: number): Slot[] =>
  computeSlots({
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

export const toSlotOut = (slots: Slot[], timezone: string): AvailabilityOut => {
  const iso = zonedIsoFormatter(timezone);
  return { timezone, slots: slots.map((s) => ({ start: iso(s.start), end: iso(s.end), staffId: s.staffId })) };
};
