/** How an appointment row is read and answered, and the per-process lookups every operation needs. */
import { notFound, toZonedIso, type AppointmentOut } from "@askproai/shared";
import type { Appointment } from "../client.js";
import type { OperationContext } from "../context.js";

/** The fields every booking answer needs; a Prisma Appointment and a row of `appointmentColumns` both fit. */
export type AppointmentRow = Pick<
  Appointment,
  "id" | "companyId" | "branchId" | "staffId" | "serviceId" | "customerId" | "resourceId" | "startsAt" | "endsAt" | "status" | "version" | "correlationId"
>;

/** The select list producing an AppointmentRow, for a table aliased `alias` (or unaliased). */
export const appointmentColumns = (alias?: string) => {
  const a = alias ? `${alias}.` : "";
  return `${a}id, ${a}company_id AS "companyId", ${a}branch_id AS "branchId", ${a}staff_id AS "staffId", ${a}service_id AS "serviceId",
  ${a}customer_id AS "customerId", ${a}resource_id AS "resourceId", ${a}starts_at AS "startsAt", ${a}ends_at AS "endsAt", ${a}status, ${a}version,
  ${a}correlation_id AS "correlationId"`;
};

export const toAppointmentOut = (a: AppointmentRow, timezone: string): AppointmentOut => ({
  id: a.id,
  status: a.status,
  start: toZonedIso(a.startsAt.getTime(), timezone),
  end: toZonedIso(a.endsAt.getTime(), timezone),
  staffId: a.staffId,
  serviceId: a.serviceId,
  branchId: a.branchId,
  resourceId: a.resourceId,
  customerId: a.customerId,
  version: a.version,
  correlationId: a.correlationId,
});

type Lookup = Pick<OperationContext, "companyId" | "db" | "caches" | "now">;

/** The branch's IANA zone; NOT_FOUND for an inactive branch, a branch of another company or none at all. */
export const zoneOf = async (ctx: Lookup, branchId: string): Promise<string> => {
  const key = `${ctx.companyId}:${branchId}`;
  let branch = ctx.caches.branchZones.get(key, ctx.now());
  if (!branch) {
    const row = await ctx.db.branch.findUnique({ where: { id: branchId }, select: { timezone: true, isActive: true } });
    if (!row) throw notFound("branch");
    branch = row;
    ctx.caches.branchZones.set(key, branch, ctx.now());
  }
  if (!branch.isActive) throw notFound("branch");
  return branch.timezone;
};

/**
 * Duration and buffers of a service. They only size the in-flight slot lock: the booking transaction
 * re-reads the service, so a copy at most one cache lifetime old never decides anything.
 */
export const serviceShapeOf = async (ctx: Lookup, serviceId: string) => {
  const key = `${ctx.companyId}:${serviceId}`;
  let shape = ctx.caches.serviceShapes.get(key, ctx.now());
  if (!shape) {
    const service = await ctx.db.service.findUnique({
      where: { id: serviceId },
      select: { durationMinutes: true, bufferBeforeMinutes: true, bufferAfterMinutes: true, isActive: true },
    });
    if (!service) throw notFound("service");
    shape = {
      durationMs: service.durationMinutes * 60_000,
      bufferBeforeMs: service.bufferBeforeMinutes * 60_000,
      bufferAfterMs: service.bufferAfterMinutes * 60_000,
      isActive: service.isActive,
    };
    ctx.caches.serviceShapes.set(key, shape, ctx.now());
  }
  if (!shape.isActive) throw notFound("service");
  return shape;
};
