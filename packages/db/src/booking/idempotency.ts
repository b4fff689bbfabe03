/**
 * A repeated create (same idempotency key) answers with the original appointment, whether the
 * original committed long ago, commits concurrently, or is still in flight.
 */
import { DomainError, type CreateAppointmentInput, type CreateAppointmentOut } from "@askproai/shared";
import type { OperationContext } from "../context.js";
import { appointmentColumns, toAppointmentOut, zoneOf, type AppointmentRow } from "./rows.js";
import { BOOKING_LOCK_TTL_MS } from "./slot-lock.js";

const sameRequest = (a: AppointmentRow, input: CreateAppointmentInput) =>
  a.branchId === input.branchId &&
  a.serviceId === input.serviceId &&
  a.startsAt.getTime() === Date.parse(input.start) &&
  (!input.staffId || a.staffId === input.staffId);

/** The original appointment of a repeated request, marked `replayed` so the caller knows nothing new was booked. */
export const replay = async (ctx: OperationContext, existing: AppointmentRow, input: CreateAppointmentInput): Promise<CreateAppointmentOut> => {
  if (!sameRequest(existing, input)) {
    throw new DomainError("BAD_REQUEST", "idempotencyKey: already used for a different booking", { fields: ["idempotencyKey"] });
  }
  return { ...toAppointmentOut(existing, await zoneOf(ctx, existing.branchId)), replayed: true };
};

export const findByKey = async (ctx: OperationContext, idempotencyKey: string) => {
  const { rows } = await ctx.sql.query<AppointmentRow>({
    name: "askproai_appointment_by_key",
    text: `SELECT ${appointmentColumns()} FROM appointments WHERE company_id = $1::uuid AND idempotency_key = $2`,
    values: [ctx.companyId, idempotencyKey],
  });
  return rows[0] ?? null;
};

/**
 * The appointment of a twin request (same idempotency key): at once when it committed, after waiting
 * while it still holds a slot lock; null when there is no twin.
 */
export const awaitTwin = async (ctx: OperationContext, key: string) => {
  const deadline = Date.now() + BOOKING_LOCK_TTL_MS;
  for (;;) {
    const { rows } = await ctx.sql.query<AppointmentRow & { inFlight: boolean }>({
      name: "askproai_await_twin",
      text: `SELECT a.*, EXISTS (SELECT 1 FROM appointment_locks l WHERE l.company_id = $1::uuid AND l.holder = $2 AND l.expires_at > now()) AS "inFlight"
             FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT ${appointmentColumns()} FROM appointments WHERE company_id = $1::uuid AND idempotency_key = $2) a ON true`,
      values: [ctx.companyId, key],
    });
    const row = rows[0];
    if (row?.id) return row;
    if (!row?.inFlight || Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};
