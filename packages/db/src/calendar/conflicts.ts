/**
 * Sync conflicts for the desk: bookings made in Cal.com that clash with an appointment here (they block
 * nothing here until resolved). The desk sees them (`calendar.conflicts`) and marks one resolved once it
 * has sorted it out (moved the local appointment, or the booking in Cal.com); a conflict also resolves
 * itself when the Cal.com booking is cancelled or, once the time is free, blocks it after all.
 */
import { notFound, toZonedIso } from "@askproai/shared";
import type { OperationContext } from "../context.js";

export interface CalendarConflictOut {
  id: string;
  calcomBookingUid: string;
  staffId: string | null;
  staffName: string | null;
  start: string;
  end: string;
  appointmentId: string | null;
  detail: string;
  detectedAt: string;
  resolvedAt: string | null;
}

type Ctx = Pick<OperationContext, "sql" | "companyId">;

const list = async (ctx: Ctx, where: string, values: unknown[]): Promise<CalendarConflictOut[]> => {
  const { rows } = await ctx.sql.query<{
    id: string; uid: string; staffId: string | null; staffName: string | null; startsAt: Date; endsAt: Date; appointmentId: string | null;
    detail: string; detectedAt: Date; resolvedAt: Date | null; timezone: string;
  }>({
    text: `SELECT k.id, k.calcom_booking_uid AS uid, k.staff_id AS "staffId", s.name AS "staffName", k.starts_at AS "startsAt", k.ends_at AS "endsAt",
             k.appointment_id AS "appointmentId", k.detail, k.detected_at AS "detectedAt", k.resolved_at AS "resolvedAt",
             COALESCE(b.timezone, c.timezone) AS timezone
           FROM calendar_conflicts k
           JOIN companies c ON c.id = k.company_id
           LEFT JOIN staff s ON s.id = k.staff_id AND s.company_id = k.company_id
           LEFT JOIN appointments a ON a.id = k.appointment_id AND a.company_id = k.company_id
           LEFT JOIN branches b ON b.id = a.branch_id AND b.company_id = k.company_id
           WHERE k.company_id = $1::uuid ${where}
           ORDER BY k.starts_at LIMIT 200`,
    values: [ctx.companyId, ...values],
  });
  return rows.map((r) => ({
    id: r.id,
    calcomBookingUid: r.uid,
    staffId: r.staffId,
    staffName: r.staffName,
    start: toZonedIso(r.startsAt.getTime(), r.timezone),
    end: toZonedIso(r.endsAt.getTime(), r.timezone),
    appointmentId: r.appointmentId,
    detail: r.detail,
    detectedAt: toZonedIso(r.detectedAt.getTime(), r.timezone),
    resolvedAt: r.resolvedAt ? toZonedIso(r.resolvedAt.getTime(), r.timezone) : null,
  }));
};

export const listCalendarConflicts = (ctx: Ctx, input: { includeResolved?: boolean } = {}) =>
  list(ctx, input.includeResolved ? "" : "AND k.resolved_at IS NULL", []);

export const resolveCalendarConflict = async (ctx: Ctx, input: { id: string }): Promise<CalendarConflictOut> => {
  await ctx.sql.query({
    text: "UPDATE calendar_conflicts SET resolved_at = COALESCE(resolved_at, now()) WHERE id = $2::uuid AND company_id = $1::uuid",
    values: [ctx.companyId, input.id],
  });
  const [conflict] = await list(ctx, "AND k.id = $2::uuid", [input.id]);
  if (!conflict) throw notFound("conflict");
  return conflict;
};
