import { localDateOf } from "@askproai/shared";
import { computeAvailability } from "../availability/compute.js";
import { holdHolderOf, type OperationContext } from "../context.js";
import type { Queryable } from "../sql.js";

/**
 * Availability of one staff member at one start, re-read just before the booking's insert (inside a
 * reschedule's transaction, on its connection): the slot
 * must still be offered by the same pure computation that offered it (rules, exceptions, holds,
 * appointments committed meanwhile). Other bookings' in-flight locks are ignored here (holdsOnly):
 * two overlapping bookings with different starts would each see the other's lock and both give up;
 * the EXCLUDE constraint decides between them. Holds of the acting caller never block that caller.
 */
export const recheckSlot = async (
  tx: Queryable,
  ctx: OperationContext,
  args: { branchId: string; serviceId: string; staffId: string; start: number; timezone: string; lockId: string; excludeAppointmentId?: string },
) => {
  const { ctx: loaded, slots } = await computeAvailability(
    tx,
    ctx.companyId,
    { branchId: args.branchId, serviceId: args.serviceId, staffId: args.staffId, from: localDateOf(args.start, args.timezone), days: 1 },
    ctx.now(),
    { excludeLockId: args.lockId, excludeAppointmentId: args.excludeAppointmentId, holdsOnly: true, unknownStaffOffersNothing: true, excludeHoldsOf: holdHolderOf(ctx.actor) },
  );
  const slot = slots.find((s) => s.start === args.start && s.staffId === args.staffId);
  return { slot, loaded };
};
