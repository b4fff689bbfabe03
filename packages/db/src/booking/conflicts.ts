/**
 * What a caller hears when the wanted start cannot be booked. First: could it ever have been offered?
 * A start in the past, inside the notice, beyond the horizon, outside working hours, off the slot grid,
 * or with someone who does not do the service is a BAD_REQUEST with that `reason`
 * (explainUnavailableStart, from the same inputs the slot computation uses). Only a start that was
 * free and is taken is a CONFLICT. Both carry up to 3 free alternatives, the wanted staff member's
 * first, each with its end and the staff member's name. The voice agent reads the same answers.
 */
import {
  DomainError,
  explainUnavailableStart,
  localDateOf,
  nearestAlternatives,
  notFound,
  toZonedIso,
  type Slot,
  type SlotAlternative,
  type UnavailableReason,
} from "@askproai/shared";
import { computeAvailability, loadRangeOf, slotsOf } from "../availability/compute.js";
import { getAvailabilityAnswer } from "../availability/answer.js";
import { loadAvailabilityContext, type LoadedContext } from "../availability/loader.js";
import type { OperationContext } from "../context.js";
import type { UnavailableAnswer } from "../process-caches.js";

const DAY_MS = 86_400_000;

export interface ConflictQuestion {
  branchId: string;
  serviceId: string;
  start: number;
  staffId?: string | null;
  timezone: string;
  /** A reschedule's own appointment does not block its alternatives. */
  excludeAppointmentId?: string;
}

/** Plain SQL: every loser of a contended slot asks this, and a Prisma query costs more CPU than the rest of its answer. */
const staffNames = async (ctx: Pick<OperationContext, "sql" | "companyId">, ids: string[]) => {
  if (ids.length === 0) return new Map<string, string>();
  const { rows } = await ctx.sql.query<{ id: string; name: string }>({
    name: "askproai_staff_names",
    text: "SELECT id, name FROM staff WHERE company_id = $1::uuid AND id = ANY($2::uuid[])",
    values: [ctx.companyId, [...new Set(ids)]],
  });
  return new Map(rows.map((r) => [r.id, r.name]));
};

/**
 * Up to 3 free slots nearest to `near` (default: the wanted start), the wanted staff member's first
 * (`preferStaffId`, default: the wanted one), from data never older than the last booking.
 */
export const findAlternatives = async (
  ctx: OperationContext,
  args: ConflictQuestion,
  { near = args.start, preferStaffId = args.staffId ?? null }: { near?: number; preferStaffId?: string | null } = {},
): Promise<SlotAlternative[]> => {
  const query = { branchId: args.branchId, serviceId: args.serviceId, ...alternativeDays(near, args.timezone) };
  const slots = args.excludeAppointmentId
    ? (await computeAvailability(ctx.sql, ctx.companyId, query, ctx.now(), { excludeAppointmentId: args.excludeAppointmentId })).slots
    : (await getAvailabilityAnswer(ctx, query)).slots;
  const picked = nearestAlternatives(slots, { start: near, staffId: preferStaffId, excludeItself: near === args.start }, 3);
  return asAlternatives(picked, await staffNames(ctx, picked.map((s) => s.staffId)), args.timezone);
};

/** The local days alternatives near `near` are looked for in: the day before it and three from its day. */
const alternativeDays = (near: number, timezone: string) => {
  const day = localDateOf(near, timezone);
  const previous = localDateOf(near - DAY_MS, timezone);
  return { from: previous < day ? previous : day, days: 4 };
};

const asAlternatives = (picked: Slot[], names: Map<string, string>, timezone: string): SlotAlternative[] =>
  picked.map((s) => ({ start: toZonedIso(s.start, timezone), end: toZonedIso(s.end, timezone), staffId: s.staffId, staffName: names.get(s.staffId) ?? "" }));

/**
 * Alternatives near the wanted start from the data `explainStart` loaded (it covers their days): the
 * answer to a contended slot's losers then costs one statement, not four, and its rows are read in the
 * same snapshot as its explanation.
 */
const alternativesFromLoaded = (ctx: OperationContext, loaded: LoadedContext, args: ConflictQuestion, preferStaffId: string | null): SlotAlternative[] => {
  const slots = slotsOf(loaded, alternativeDays(args.start, args.timezone), ctx.now());
  const picked = nearestAlternatives(slots, { start: args.start, staffId: preferStaffId, excludeItself: true }, 3);
  return asAlternatives(picked, new Map(loaded.staff.map((s) => [s.id, s.name])), args.timezone);
};

/**
 * Why `args.start` cannot be booked, or null when it would be offered if nothing were booked (taken).
 * A wanted staff member who does not work at the branch is `staff_not_eligible` when they are the
 * company's, NOT_FOUND otherwise (never reveal another company's ids).
 */
export const explainStart = async (ctx: OperationContext, args: ConflictQuestion): Promise<{ reason: UnavailableReason | null; loaded: LoadedContext }> => {
  // Two days either side for the explanation, and the days alternatives near the start come from.
  const around = loadRangeOf(alternativeDays(args.start, args.timezone));
  const loaded = await loadAvailabilityContext(ctx.sql, {
    companyId: ctx.companyId,
    branchId: args.branchId,
    serviceId: args.serviceId,
    from: Math.min(args.start - 2 * DAY_MS, around.from),
    to: Math.max(args.start + 2 * DAY_MS, around.to),
    excludeAppointmentId: args.excludeAppointmentId,
  });
  if (args.staffId && !loaded.staff.some((s) => s.id === args.staffId)) {
    if (!(await ctx.db.staff.findUnique({ where: { id: args.staffId }, select: { id: true } }))) throw notFound("staff member");
    return { reason: "staff_not_eligible", loaded };
  }
  const { company } = loaded;
  const reason = explainUnavailableStart({
    businessModel: company.businessModel,
    timezone: loaded.branch.timezone,
    now: ctx.now(),
    policy: { slotStepMinutes: company.slotStepMinutes, minNoticeMinutes: company.minNoticeMinutes, horizonDays: company.horizonDays },
    service: loaded.service,
    staff: loaded.staff,
    rules: loaded.rules,
    exceptions: loaded.exceptions,
    busy: [],
    resources: loaded.resources,
    start: args.start,
    staffId: args.staffId,
  });
  return { reason, loaded };
};

const duration = (minutes: number) =>
  minutes % 1440 === 0 ? `${minutes / 1440} day${minutes === 1440 ? "" : "s"}` : minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}` : `${minutes} minutes`;

/** The field to blame and what to say, once (the transport adds nothing to it). */
const describe = (reason: UnavailableReason, loaded: LoadedContext, staffNamed: boolean): { field: string; message: string } => {
  const { company } = loaded;
  switch (reason) {
    case "in_past":
      return { field: "start", message: "start: is in the past" };
    case "min_notice":
      return { field: "start", message: `start: is less than ${duration(company.minNoticeMinutes)} from now (the minimum notice)` };
    case "beyond_horizon":
      return { field: "start", message: `start: is more than ${duration(company.horizonDays * 1440)} ahead (the booking horizon)` };
    case "staff_not_eligible":
      return staffNamed
        ? { field: "staffId", message: "staffId: this staff member does not offer this service at this branch" }
        : { field: "serviceId", message: "serviceId: nobody at this branch offers this service" };
    case "outside_hours":
      return { field: "start", message: `start: is outside ${staffNamed ? "this staff member's" : "the"} working hours` };
    case "off_grid":
      return { field: "start", message: `start: is not on the ${company.slotStepMinutes}-minute grid of bookable starts` };
  }
};

/**
 * The error for a start that cannot be booked: BAD_REQUEST with `reason` when it could never have been
 * offered, else CONFLICT. Alternatives near the wish (for a start in the past or inside the notice:
 * the soonest bookable ones; none beyond the horizon).
 */
export const unavailableStart = async (ctx: OperationContext, args: ConflictQuestion, askedAt = performance.now()): Promise<DomainError> => {
  // The losers of one contended slot ask the same question at once: one computation answers those that
  // asked before it began (InFlight), each gets its own error object.
  const key = JSON.stringify([ctx.companyId, args.branchId, args.serviceId, args.staffId ?? null, args.start, args.excludeAppointmentId ?? null, Math.floor(ctx.now() / 60_000)]);
  try {
    const answer = await ctx.caches.unavailableStarts.join(key, askedAt, () => answerUnavailable(ctx, args));
    return new DomainError(answer.code, answer.message, answer.details);
  } catch (error) {
    if (error instanceof DomainError) throw new DomainError(error.code, error.message, error.details, { cause: error.cause });
    throw error;
  }
};

const answerUnavailable = async (ctx: OperationContext, args: ConflictQuestion): Promise<UnavailableAnswer> => {
  const { reason, loaded } = await explainStart(ctx, args);
  if (reason === null) {
    return { code: "CONFLICT", message: "the requested time is no longer free", details: { alternatives: alternativesFromLoaded(ctx, loaded, args, args.staffId ?? null) } };
  }
  const soonest = ctx.now() + loaded.company.minNoticeMinutes * 60_000;
  const alternatives =
    reason === "beyond_horizon"
      ? []
      : reason === "in_past" || reason === "min_notice"
        ? await findAlternatives(ctx, args, { near: soonest }).catch(() => [])
        : alternativesFromLoaded(ctx, loaded, args, reason === "staff_not_eligible" ? null : args.staffId ?? null);
  const { field, message } = describe(reason, loaded, Boolean(args.staffId));
  return { code: "BAD_REQUEST", message, details: { reason, fields: [field], alternatives } };
};
