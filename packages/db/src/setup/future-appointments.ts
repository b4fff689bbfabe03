/**
 * A staff member, service, room or branch that still has appointments ahead is never deactivated (or a
 * staff member moved away from a branch) without saying what happens to them: by default the change is
 * refused with the list; the caller may choose to keep them booked or to cancel them (in the same
 * transaction, through the booking area's own cancel, so customers are told and calendars follow).
 */
import { DomainError, toZonedIso, type AffectedAppointment, type FutureAppointmentsChoice } from "@askproai/shared";
import { ACTIVE_STATUSES } from "../booking/statuses.js";
import { cancelInTransaction } from "../booking/status-change.js";
import type { OperationContext } from "../context.js";
import { params, type Queryable } from "../sql.js";

export type AppointmentScope =
  | { staffId: string; branchIds?: string[] }
  | { serviceId: string }
  | { resourceId: string }
  | { branchId: string };

export interface SettledAppointments {
  kept: AffectedAppointment[];
  cancelled: AffectedAppointment[];
}

const REPORTED = 50;

/** Active appointments of the scope that start after now, soonest first. */
export const appointmentsAhead = async (tx: Queryable, ctx: Pick<OperationContext, "companyId" | "now">, scope: AppointmentScope) => {
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const filter =
    "staffId" in scope
      ? `a.staff_id = ${p(scope.staffId, "uuid")}${scope.branchIds ? ` AND a.branch_id = ANY(${p(scope.branchIds, "uuid[]")})` : ""}`
      : "serviceId" in scope
        ? `a.service_id = ${p(scope.serviceId, "uuid")}`
        : "resourceId" in scope
          ? `a.resource_id = ${p(scope.resourceId, "uuid")}`
          : `a.branch_id = ${p(scope.branchId, "uuid")}`;
  const { rows } = await tx.query<{ id: string; startsAt: Date; endsAt: Date; branchId: string; staffId: string; staffName: string; serviceName: string; customerName: string; timezone: string }>({
    text: `SELECT a.id, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.branch_id AS "branchId", a.staff_id AS "staffId",
             s.name AS "staffName", sv.name AS "serviceName", c.name AS "customerName", b.timezone
           FROM appointments a
           JOIN staff s ON s.id = a.staff_id JOIN services sv ON sv.id = a.service_id
           JOIN customers c ON c.id = a.customer_id JOIN branches b ON b.id = a.branch_id
           WHERE a.company_id = ${co} AND a.status = ANY(${p(ACTIVE_STATUSES, "appointment_status[]")})
             AND a.starts_at > ${p(new Date(ctx.now()), "timestamptz")} AND ${filter}
           ORDER BY a.starts_at, a.id`,
    values,
  });
  return rows.map(
    (r): AffectedAppointment => ({
      id: r.id,
      start: toZonedIso(r.startsAt.getTime(), r.timezone),
      end: toZonedIso(r.endsAt.getTime(), r.timezone),
      branchId: r.branchId,
      staffId: r.staffId,
      staffName: r.staffName,
      serviceName: r.serviceName,
      customerName: r.customerName,
    }),
  );
};

/**
 * Applies the caller's choice to the scope's appointments ahead, inside the change's transaction:
 * "refuse" (default) throws CONFLICT listing them; "keep" leaves them booked and returns them; "cancel"
 * cancels each one (reason given) and returns them.
 */
export const settleAppointmentsAhead = async (
  tx: Queryable,
  ctx: OperationContext,
  scope: AppointmentScope,
  choice: FutureAppointmentsChoice,
  what: { label: string; cancelReason: string },
): Promise<SettledAppointments> => {
  const ahead = await appointmentsAhead(tx, ctx, scope);
  if (ahead.length === 0) return { kept: [], cancelled: [] };
  if (choice === "refuse") {
    throw new DomainError(
      "CONFLICT",
      `${what.label} has ${ahead.length} appointment(s) ahead (listed in data.appointments); ` +
        'repeat with futureAppointments "keep" to leave them booked or "cancel" to cancel them',
      { appointments: ahead.slice(0, REPORTED), appointmentCount: ahead.length, fields: ["futureAppointments"] },
    );
  }
  if (choice === "keep") return { kept: ahead, cancelled: [] };
  for (const appointment of ahead) await cancelInTransaction(tx, ctx, { id: appointment.id, reason: what.cancelReason });
  return { kept: [], cancelled: ahead };
};
