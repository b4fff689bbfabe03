/**
 * The debug view's answers, for owners and admins: failed bookings of the last hours, and for one
 * correlation id (or an appointment's ids) everything that carries it, in time order: audit rows,
 * outbox events, job attempts, outside calls, webhook events. One request shows why a booking failed.
 * Tenant-scoped; personal data masked (names to initials, phone numbers to their last two digits).
 */
import { notFound, rezoneInstants, toZonedIso } from "@askproai/shared";
import type { OperationContext } from "../context.js";

type DebugContext = Pick<OperationContext, "companyId" | "sql" | "now">;

export const maskName = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${[...part][0] ?? ""}.`)
    .join(" ");
export const maskPhone = (phone: string) => (phone.length > 4 ? `${"•".repeat(phone.length - 2)}${phone.slice(-2)}` : "••");

export interface FailedBooking {
  appointmentId: string;
  correlationId: string;
  kind: "booking_failed" | "sync_failed";
  at: string;
  start: string;
  reason: string | null;
  source: string;
  staffName: string;
  serviceName: string;
  customer: { name: string; phone: string };
}

export const failedBookings = async (ctx: DebugContext, hours = 24): Promise<FailedBooking[]> => {
  const { rows } = await ctx.sql.query<{
    id: string; correlationId: string; kind: FailedBooking["kind"]; at: Date; startsAt: Date; reason: string | null; source: string;
    staffName: string; serviceName: string; customerName: string; phone: string; timezone: string;
  }>({
    name: "askproai_debug_failed_bookings",
    text: `
      SELECT a.id, a.correlation_id AS "correlationId",
        CASE WHEN a.status = 'failed' THEN 'booking_failed' ELSE 'sync_failed' END AS kind,
        a.updated_at AS at, a.starts_at AS "startsAt",
        COALESCE(a.failure_reason, a.calendar_sync_error) AS reason, a.source::text AS source,
        s.name AS "staffName", sv.name AS "serviceName", c.name AS "customerName", c.phone, b.timezone
      FROM appointments a
      JOIN staff s ON s.id = a.staff_id JOIN services sv ON sv.id = a.service_id
      JOIN customers c ON c.id = a.customer_id JOIN branches b ON b.id = a.branch_id
      WHERE a.company_id = $1::uuid AND a.updated_at > to_timestamp($2::double precision / 1000) - make_interval(hours => $3::int)
        AND (a.status = 'failed' OR a.calendar_sync_status = 'failed')
      ORDER BY a.updated_at DESC LIMIT 200`,
    values: [ctx.companyId, ctx.now(), hours],
  });
  return rows.map((r) => ({
    appointmentId: r.id,
    correlationId: r.correlationId,
    kind: r.kind,
    at: toZonedIso(r.at.getTime(), r.timezone),
    start: toZonedIso(r.startsAt.getTime(), r.timezone),
    reason: r.reason,
    source: r.source,
    staffName: r.staffName,
    serviceName: r.serviceName,
    customer: { name: maskName(r.customerName), phone: maskPhone(r.phone) },
  }));
};

export interface TimelineEntry {
  at: string;
  kind: "audit" | "outbox" | "job" | "outside_call" | "webhook";
  correlationId: string;
  title: string;
  status: string | null;
  detail: Record<string, unknown>;
}

/**
 * Everything carrying one of the correlation ids. With an appointment id, its own correlation id and
 * those of every change to it (a cancel from another request has its own) are followed.
 */
export const timeline = async (ctx: DebugContext, by: { correlationId?: string; appointmentId?: string }): Promise<TimelineEntry[]> => {
  let ids: string[] = by.correlationId ? [by.correlationId] : [];
  if (by.appointmentId) {
    const { rows } = await ctx.sql.query<{ ids: string[] | null }>({
      text: `SELECT array_agg(DISTINCT x) AS ids FROM (
               SELECT correlation_id AS x FROM appointments WHERE id = $1::uuid AND company_id = $2::uuid
               UNION SELECT correlation_id FROM appointment_audit WHERE appointment_id = $1::uuid AND company_id = $2::uuid) t`,
      values: [by.appointmentId, ctx.companyId],
    });
    ids = rows[0]?.ids ?? [];
    if (ids.length === 0) throw notFound("appointment");
  }
  const { rows } = await ctx.sql.query<{ at: Date; kind: TimelineEntry["kind"]; correlationId: string; title: string; status: string | null; detail: Record<string, unknown> }>({
    name: "askproai_debug_timeline",
    text: `
      SELECT * FROM (
        SELECT created_at AS at, 'audit' AS kind, correlation_id AS "correlationId", 'appointment ' || action::text AS title, NULL::text AS status,
               jsonb_build_object('appointmentId', appointment_id, 'actor', actor_type::text, 'changes', changes) AS detail
        FROM appointment_audit WHERE company_id = $1::uuid AND correlation_id = ANY($2::text[])
        UNION ALL
        SELECT created_at, 'outbox', correlation_id, 'outbox ' || topic,
               CASE WHEN dispatched_at IS NOT NULL THEN 'dispatched' WHEN last_error IS NOT NULL THEN 'error' ELSE 'pending' END,
               jsonb_build_object('aggregateId', aggregate_id, 'payload', payload, 'dispatchedAt', dispatched_at, 'attempts', attempts, 'lastError', last_error)
        FROM outbox_events WHERE company_id = $1::uuid AND correlation_id = ANY($2::text[])
        UNION ALL
        SELECT started_at, 'job', correlation_id, 'job ' || queue || '/' || job_name || ' attempt ' || attempt, outcome,
               jsonb_build_object('jobId', job_id, 'finishedAt', finished_at, 'error', error)
        FROM job_attempts WHERE company_id = $1::uuid AND correlation_id = ANY($2::text[])
        UNION ALL
        SELECT created_at, 'outside_call', correlation_id, service || ' ' || method || ' ' || endpoint, COALESCE(status_code::text, 'no answer'),
               jsonb_build_object('durationMs', duration_ms, 'error', error, 'request', request_body, 'response', response_body)
        FROM api_call_logs WHERE company_id = $1::uuid AND correlation_id = ANY($2::text[])
        UNION ALL
        SELECT received_at, 'webhook', correlation_id, source::text || ' ' || event_type,
               CASE WHEN processed_at IS NOT NULL THEN 'processed' WHEN last_error IS NOT NULL THEN 'error' ELSE 'received' END,
               jsonb_build_object('eventId', event_id, 'retryCount', retry_count, 'lastError', last_error, 'processedAt', processed_at)
        FROM webhook_events WHERE company_id = $1::uuid AND correlation_id = ANY($2::text[])
      ) t ORDER BY at, kind LIMIT 1000`,
    values: [ctx.companyId, ids],
  });
  if (rows.length === 0) throw notFound("correlation id");
  const { rows: zone } = await ctx.sql.query<{ timezone: string }>({ text: "SELECT timezone FROM companies WHERE id = $1::uuid", values: [ctx.companyId] });
  const tz = zone[0]?.timezone ?? "Europe/Berlin";
  // Instants inside the details (audit changes, dispatch and processing times) in the same zone; the
  // bodies of outside calls stay as they went over the wire.
  return rows.map((r) => ({ ...r, at: toZonedIso(r.at.getTime(), tz), detail: rezoneInstants(r.detail, tz, ["request", "response"]) }));
};
