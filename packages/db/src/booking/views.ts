/**
 * Appointments as a person reads them (list, detail, a customer's history, what a schedule change
 * touches): names beside the ids, notes, origin, calendar sync state, every instant in the zone of
 * the appointment's branch. One Prisma include and one mapper serve them all.
 */
import { notFound, toZonedIso, type AppointmentDetail, type AppointmentListItem } from "@askproai/shared";
import type { Prisma } from "../generated/prisma/client.js";
import type { OperationContext } from "../context.js";

export const appointmentViewInclude = {
  branch: { select: { timezone: true } },
  staff: { select: { name: true } },
  service: { select: { name: true } },
  resource: { select: { name: true } },
  customer: { select: { id: true, name: true, phone: true, email: true, notes: true } },
} as const satisfies Prisma.AppointmentInclude;

export type AppointmentViewRow = Prisma.AppointmentGetPayload<{ include: typeof appointmentViewInclude }>;

export const toAppointmentListItem = (a: AppointmentViewRow): AppointmentListItem => {
  const iso = (d: Date) => toZonedIso(d.getTime(), a.branch.timezone);
  return {
    id: a.id,
    start: iso(a.startsAt),
    end: iso(a.endsAt),
    status: a.status,
    branchId: a.branchId,
    staffId: a.staffId,
    staffName: a.staff.name,
    serviceId: a.serviceId,
    serviceName: a.service.name,
    resourceId: a.resourceId,
    resourceName: a.resource?.name ?? null,
    version: a.version,
    notes: a.notes,
    source: a.source,
    calendarSync: { status: a.calendarSyncStatus, syncedAt: a.calendarSyncedAt ? iso(a.calendarSyncedAt) : null, error: a.calendarSyncError },
    customer: { id: a.customer.id, name: a.customer.name, phone: a.customer.phone, notes: a.customer.notes },
  };
};

const toAppointmentDetail = (a: AppointmentViewRow): AppointmentDetail => {
  const iso = (d: Date) => toZonedIso(d.getTime(), a.branch.timezone);
  return {
    ...toAppointmentListItem(a),
    customer: { id: a.customer.id, name: a.customer.name, phone: a.customer.phone, email: a.customer.email, notes: a.customer.notes },
    priceMinor: a.priceMinor,
    currency: a.currency,
    cancelledAt: a.cancelledAt ? iso(a.cancelledAt) : null,
    cancelReason: a.cancelReason,
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
    correlationId: a.correlationId,
  };
};

/** appointments.get; failed booking attempts are NOT_FOUND here as everywhere outside the debug views. */
export const getAppointment = async (ctx: Pick<OperationContext, "db">, id: string): Promise<AppointmentDetail> => {
  const row = await ctx.db.appointment.findUnique({ where: { id }, include: appointmentViewInclude });
  if (!row || row.status === "failed") throw notFound("appointment");
  return toAppointmentDetail(row);
};
