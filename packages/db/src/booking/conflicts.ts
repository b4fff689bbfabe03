/** What a caller hears when the wanted time is gone: CONFLICT with the nearest free alternatives. */
import { DomainError, localDateOf, nearestAlternatives, toZonedIso, type SlotAlternative } from "@askproai/shared";
import { computeAvailability } from "../availability/compute.js";
import { getAvailabilityAnswer } from "../availability/answer.js";
import type { OperationContext } from "../context.js";

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

/** Up to 3 free starts nearest to the wanted one (any eligible staff member), from fresh data. */
export const findAlternatives = async (ctx: OperationContext, args: ConflictQuestion): Promise<SlotAlternative[]> => {
  const day = localDateOf(args.start, args.timezone);
  const previous = localDateOf(args.start - DAY_MS, args.timezone);
  const query = { branchId: args.branchId, serviceId: args.serviceId, from: previous < day ? previous : day, days: 4 };
  // Many losers of one contended slot ask the same question: the cache answers all but the first.
  const slots = args.excludeAppointmentId
    ? (await computeAvailability(ctx.sql, ctx.companyId, query, ctx.now(), { excludeAppointmentId: args.excludeAppointmentId })).slots
    : (await getAvailabilityAnswer(ctx, query)).slots;
  return nearestAlternatives(slots, { start: args.start, staffId: args.staffId ?? null }, 3).map((s) => ({
    start: toZonedIso(s.start, args.timezone),
    staffId: s.staffId,
  }));
};

export const slotTaken = async (ctx: OperationContext, args: ConflictQuestion) =>
  new DomainError("CONFLICT", "the requested time is no longer free", {
    alternatives: await findAlternatives(ctx, args).catch(() => []),
  });
