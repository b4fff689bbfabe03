/**
 * Moves an appointment to a new start (and optionally another staff member) under optimistic locking:
 * a stale `expectedVersion` is PRECONDITION_FAILED. The same guards as a create: slot lock, recheck in
 * the transaction, EXCLUDE constraints; the old time frees up in the same statement.
 */
import { DomainError, notFound, type AppointmentOut, type RescheduleAppointmentInput } from "@askproai/shared";
import { bumpVersionsCte, staffBranchesSql } from "../availability/versions.js";
import type { OperationContext } from "../context.js";
import { classifyDbError } from "../errors.js";
import { appointmentEvents, outboxAndAuditCtes } from "../outbox/write.js";
import { params } from "../sql.js";
import { unavailableStart } from "./conflicts.js";
import { recheckSlot } from "./recheck.js";
import { appointmentColumns, toAppointmentOut, zoneOf, type AppointmentRow } from "./rows.js";
import { acquireSlotLock, releaseLock } from "./slot-lock.js";
import { activeSql, isActive } from "./statuses.js";

export const rescheduleAppointment = async (ctx: OperationContext, input: RescheduleAppointmentInput): Promise<AppointmentOut> => {
  const askedAt = performance.now();
  const current = await ctx.db.appointment.findUnique({ where: { id: input.id } });
  if (!current || current.status === "failed") throw notFound("appointment");
  if (current.version !== input.expectedVersion) {
    throw new DomainError("PRECONDITION_FAILED", `expectedVersion ${input.expectedVersion} is stale; the appointment is at version ${current.version}`);
  }
  if (!isActive(current.status)) throw new DomainError("PRECONDITION_FAILED", `a ${current.status.replace("_", "-")} appointment cannot be moved`);

  const timezone = await zoneOf(ctx, current.branchId);
  const start = Date.parse(input.start);
  const staffId = input.staffId ?? current.staffId;
  // Moving to where it already is changes nothing: no new version, no calendar sync, no message.
  if (start === current.startsAt.getTime() && staffId === current.staffId) return toAppointmentOut(current, timezone);
  const conflictArgs = { branchId: current.branchId, serviceId: current.serviceId, start, staffId, timezone, excludeAppointmentId: current.id };
  const durationMs = current.endsAt.getTime() - current.startsAt.getTime();
  const { lock } = await acquireSlotLock(ctx, {
    branchId: current.branchId,
    staffId,
    resourceId: null,
    start: new Date(start),
    end: new Date(start + durationMs + current.bufferAfterMinutes * 60_000),
    holder: `reschedule:${current.id}:${input.expectedVersion}`,
  });
  if (!lock) throw await unavailableStart(ctx, conflictArgs, askedAt);
  try {
    const moved = await ctx.sql.transaction(async (tx) => {
      const { slot, loaded } = await recheckSlot(tx, ctx, {
        branchId: current.branchId,
        serviceId: current.serviceId,
        staffId,
        start,
        timezone,
        lockId: lock.id,
        excludeAppointmentId: current.id,
      });
      if (!slot) throw new DomainError("CONFLICT", "the requested time is no longer free");
      const calendarSync = loaded.company.calcomSyncEnabled;
      const { values, p } = params();
      const co = p(ctx.companyId, "uuid");
      const newStaff = p(staffId, "uuid");
      const oldStaff = p(current.staffId, "uuid");
      const text = `
        WITH moved AS (
          UPDATE appointments a
          SET starts_at = ${p(new Date(start), "timestamptz")}, ends_at = ${p(new Date(start + durationMs), "timestamptz")},
              staff_id = ${newStaff}, resource_id = ${p(slot.resourceId ?? null, "uuid")}, version = version + 1,
              calendar_sync_status = CASE WHEN ${p(calendarSync, "boolean")} THEN 'pending'::calendar_sync_status ELSE calendar_sync_status END,
              updated_at = now()
          WHERE a.id = ${p(current.id, "uuid")} AND a.company_id = ${co} AND a.version = ${p(input.expectedVersion, "int")}
            AND ${activeSql("a")}
          RETURNING a.*
        ),${outboxAndAuditCtes(p, ctx, {
          row: "moved",
          events: appointmentEvents(calendarSync, "reschedule", "rescheduled"),
          action: "rescheduled",
          changes: `jsonb_build_object('start', jsonb_build_object('from', ${p(current.startsAt, "timestamptz")}, 'to', moved.starts_at),
            'staffId', jsonb_build_object('from', ${oldStaff}, 'to', moved.staff_id))`,
        })},${bumpVersionsCte(co, `SELECT branch_id FROM moved UNION ${staffBranchesSql(co, newStaff)} UNION ${staffBranchesSql(co, oldStaff)}`)}
        SELECT ${appointmentColumns()} FROM moved`;
      const { rows } = await tx.query<AppointmentRow>({ name: "askproai_reschedule_appointment", text, values });
      if (!rows[0]) throw new DomainError("PRECONDITION_FAILED", "the appointment changed meanwhile; reload and try again");
      return rows[0];
    });
    return toAppointmentOut(moved, timezone);
  } catch (error) {
    if ((error instanceof DomainError && error.code === "CONFLICT") || classifyDbError(error).kind === "overlap") {
      throw await unavailableStart(ctx, conflictArgs, askedAt);
    }
    throw error;
  } finally {
    await releaseLock(ctx, lock);
  }
};
