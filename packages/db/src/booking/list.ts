import { notFound, type AppointmentListItem, type ListAppointmentsInput } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import { appointmentViewInclude, toAppointmentListItem } from "./views.js";

/** A branch's appointments overlapping [from, to), optionally of some statuses or one staff member; never failed attempts. */
export const listAppointments = async (ctx: Pick<OperationContext, "db">, input: ListAppointmentsInput): Promise<AppointmentListItem[]> => {
  const branch = await ctx.db.branch.findUnique({ where: { id: input.branchId }, select: { id: true } });
  if (!branch) throw notFound("branch");
  const statuses = input.status === undefined ? undefined : Array.isArray(input.status) ? input.status : [input.status];
  const rows = await ctx.db.appointment.findMany({
    where: {
      branchId: input.branchId,
      status: statuses ? { in: statuses } : { not: "failed" },
      ...(input.staffId ? { staffId: input.staffId } : {}),
      startsAt: { lt: new Date(input.to) },
      endsAt: { gt: new Date(input.from) },
    },
    orderBy: [{ startsAt: "asc" }, { staffId: "asc" }],
    include: appointmentViewInclude,
    take: 5_000,
  });
  return rows.map(toAppointmentListItem);
};
