/**
 * cancel, no-show, complete: status changes of one appointment, each in one transaction that holds the
 * appointment's row lock, so concurrent changes queue instead of failing on a stale version; a
 * repeat of the same change (two desks cancelling at once, a retried request) answers the appointment
 * as it now is.
 */
import { DomainError, notFound, type AppointmentOut, type CancelAppointmentInput } from "@askproai/shared";
import type { AppointmentStatus } from "../generated/prisma/enums.js";
import { bumpAvailability } from "../availability/versions.js";
import type { OperationContext } from "../context.js";
import { appointmentEvents, writeOutboxAndAudit } from "../outbox/write.js";
import type { Queryable } from "../sql.js";
import { appointmentColumns, toAppointmentOut, type AppointmentRow } from "./rows.js";
import { isActive } from "./statuses.js";

type LockedAppointment = AppointmentRow & { timezone: string; calendarSync: boolean; staffBranches: string[] };

/** The appointment, row-locked for the rest of the transaction; NOT_FOUND also for failed attempts. */
const lockAppointment = async (tx: Queryable, ctx: OperationContext, id: string): Promise<LockedAppointment> => {
  const { rows } = await tx.query<LockedAppointment>({
    name: "askproai_lock_appointment",
    text: `SELECT ${appointmentColumns("a")}, b.timezone, c.calcom_sync_enabled AS "calendarSync",
             ARRAY(SELECT sb.branch_id::text FROM staff_branches sb WHERE sb.company_id = a.company_id AND sb.staff_id = a.staff_id) AS "staffBranches"
           FROM appointments a JOIN branches b ON b.id = a.branch_id JOIN companies c ON c.id = a.company_id
           WHERE a.id = $1::uuid AND a.company_id = $2::uuid AND a.status <> 'failed'
           FOR UPDATE OF a`,
    values: [id, ctx.companyId],
  });
  const row = rows[0];
  if (!row) throw notFound("appointment");
  return row;
};

/**
 * `resync`: the change goes to Cal.com (a cancellation of a syncing company's appointment), so its sync
 * state is pending again until the worker has mirrored it; an appointment that never needed a sync stays so.
 */
const setStatus = async (tx: Queryable, ctx: OperationContext, id: string, to: AppointmentStatus, extra: { cancelReason?: string | null; resync?: boolean } = {}) => {
  const { rows } = await tx.query<AppointmentRow>({
    text: `UPDATE appointments SET status = $3::appointment_status, version = version + 1, updated_at = now(),
             cancelled_at = CASE WHEN $3 = 'cancelled' THEN to_timestamp($4::double precision / 1000) ELSE cancelled_at END,
             cancel_reason = CASE WHEN $3 = 'cancelled' THEN $5 ELSE cancel_reason END,
             calendar_sync_status = CASE WHEN $6::boolean AND calendar_sync_status <> 'not_required' THEN 'pending'::calendar_sync_status
                                         ELSE calendar_sync_status END
           WHERE id = $1::uuid AND company_id = $2::uuid
           RETURNING ${appointmentColumns()}`,
    values: [id, ctx.companyId, to, ctx.now(), extra.cancelReason ?? null, extra.resync ?? false],
  });
  return rows[0]!;
};

const label = (status: string) => status.replace("_", "-");

/** Cancels inside the caller's transaction (also used by set-up changes that cancel what they leave behind). */
export const cancelInTransaction = async (tx: Queryable, ctx: OperationContext, input: CancelAppointmentInput): Promise<AppointmentOut> => {
  const current = await lockAppointment(tx, ctx, input.id);
  if (current.status === "cancelled") return toAppointmentOut(current, current.timezone);
  if (!isActive(current.status)) throw new DomainError("PRECONDITION_FAILED", `a ${label(current.status)} appointment cannot be cancelled`);
  const cancelled = await setStatus(tx, ctx, current.id, "cancelled", { cancelReason: input.reason ?? null, resync: current.calendarSync });
  await writeOutboxAndAudit(tx, ctx, {
    appointmentId: current.id,
    events: appointmentEvents(current.calendarSync, "cancel", "cancellation"),
    action: "cancelled",
    changes: { status: { from: current.status, to: "cancelled" }, reason: input.reason ?? null },
  });
  await bumpAvailability(tx, ctx.companyId, [current.branchId, ...current.staffBranches]);
  return toAppointmentOut(cancelled, current.timezone);
};

export const cancelAppointment = async (ctx: OperationContext, input: CancelAppointmentInput): Promise<AppointmentOut> =>
  ctx.sql.transaction((tx) => cancelInTransaction(tx, ctx, input));

const finish = (ctx: OperationContext, input: { id: string; expectedVersion?: number }, to: "no_show" | "completed"): Promise<AppointmentOut> =>
  ctx.sql.transaction(async (tx) => {
    const current = await lockAppointment(tx, ctx, input.id);
    if (current.status === to) return toAppointmentOut(current, current.timezone);
    if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
      throw new DomainError("PRECONDITION_FAILED", `expectedVersion ${input.expectedVersion} is stale; the appointment is at version ${current.version}`);
    }
    if (!isActive(current.status)) throw new DomainError("PRECONDITION_FAILED", `a ${label(current.status)} appointment cannot change to ${label(to)}`);
    if (current.startsAt.getTime() > ctx.now()) throw new DomainError("PRECONDITION_FAILED", "the appointment has not started yet");
    const changed = await setStatus(tx, ctx, current.id, to);
    // The time stays blocked either way, so availability does not change.
    await writeOutboxAndAudit(tx, ctx, { appointmentId: current.id, events: [], action: to, changes: { status: { from: current.status, to } } });
    return toAppointmentOut(changed, current.timezone);
  });

export const markNoShow = (ctx: OperationContext, input: { id: string; expectedVersion?: number }) => finish(ctx, input, "no_show");
export const completeAppointment = (ctx: OperationContext, input: { id: string; expectedVersion?: number }) => finish(ctx, input, "completed");
