import { notFound, toZonedIso, type AppointmentListItem, type ListAppointmentsInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";

export const listAppointments = async (ctx: Pick<OperationContext, "db">, input: ListAppointmentsInput): Promise<AppointmentListItem[]> => {
  const branch = await ctx.db.branch.findUnique({ where: { id: input.branchId }, select: { timezone: true } });
  if (!branch) throw notFound("branch");
  const rows = await ctx.db.appointment.findMany({
    where: { branchId: input.branchId, status: { not: "failed" }, startsAt: { lt: new Date(input.to) }, endsAt: { gt: new Date(input.from) } },
    orderBy: [{ startsAt: "asc" }, { staffId: "asc" }],
    include: { customer: { select: { name: true, phone: true } } },
    take: 5_000,
  });
  return rows.map((a) => ({
    id: a.id,
    start: toZonedIso(a.startsAt.getTime(), branch.timezone),
    end: toZonedIso(a.endsAt.getTime(), branch.timezone),
    status: a.status,
    staffId: a.staffId,
    serviceId: a.serviceId,
    version: a.version,
    customer: { name: a.customer.name, phone: a.customer.phone },
  }));
};
