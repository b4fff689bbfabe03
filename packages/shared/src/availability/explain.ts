/**
 * Why a wanted start is not bookable, decided from the same inputs the slot computation uses: a start
 * that could never have been offered (in the past, inside the notice, beyond the horizon, outside
 * working hours, between the grid's steps, or by someone who does not do the service) gets a reason;
 * a start that would be offered if nothing were booked gets null: it is taken (a CONFLICT).
 */
import { DateTime } from "luxon";
import { getStrategy } from "../business-models/index.js";
import { computeSlots } from "./slots.js";
import { localDateOf } from "./time.js";
import type { AvailabilityInput } from "./types.js";

export const UNAVAILABLE_REASONS = ["in_past", "min_notice", "beyond_horizon", "staff_not_eligible", "outside_hours", "off_grid"] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

export interface UnavailableStartQuestion extends Omit<AvailabilityInput, "fromDate" | "days"> {
  /** The wanted start (epoch ms). */
  start: number;
  /** The wanted staff member; null/omitted = anyone who does the service. */
  staffId?: string | null;
}

const MINUTE_MS = 60_000;

/**
 * The first reason, in this order, that `start` can never be offered, or null when it would be offered
 * if nothing were booked:
 * `in_past` (before now) → `min_notice` (before now + minNotice) → `beyond_horizon` (at or after now +
 * horizonDays, calendar days in the zone) → `staff_not_eligible` (the wanted staff member, or everyone,
 * cannot do the service under the business model) → `outside_hours` (the appointment does not fit into
 * working time: weekly rules and extra availability minus time off, sickness, holidays, closures) →
 * `off_grid` (it would fit, but does not start on a step of the slot grid).
 * A service whose resource kind the branch does not have at all is null (no free resource: CONFLICT).
 */
export function explainUnavailableStart(q: UnavailableStartQuestion): UnavailableReason | null {
  if (q.start < q.now) return "in_past";
  if (q.start < q.now + q.policy.minNoticeMinutes * MINUTE_MS) return "min_notice";
  const horizonEnd = DateTime.fromMillis(q.now, { zone: q.timezone }).plus({ days: q.policy.horizonDays }).toMillis();
  if (q.start >= horizonEnd) return "beyond_horizon";

  const strategy = getStrategy(q.businessModel);
  const eligible = strategy.eligibleStaff(q.service, q.staff);
  const who = q.staffId ? eligible.filter((s) => s.id === q.staffId) : eligible;
  if (who.length === 0) return "staff_not_eligible";
  const kind = strategy.resourceKindFor(q.service);
  if (kind !== null && !q.resources.some((r) => r.kind === kind)) return null;

  // Offered at `at` on a grid of `stepMinutes` if nothing were booked?
  const offeredOnGrid = (at: number, stepMinutes: number) =>
    computeSlots({
      ...q,
      staff: who,
      busy: [],
      fromDate: localDateOf(at, q.timezone),
      days: 1,
      now: at,
      policy: { slotStepMinutes: stepMinutes, minNoticeMinutes: 0, horizonDays: 1 },
    }).some((s) => s.start === at);

  if (offeredOnGrid(q.start, q.policy.slotStepMinutes)) return null;
  // Every whole minute of working time is a start on a one-minute grid.
  return offeredOnGrid(Math.floor(q.start / MINUTE_MS) * MINUTE_MS, 1) ? "off_grid" : "outside_hours";
}
