/**
 * The seed's two monitoring reports, for a company's owners (and `npm run report`):
 * - booking success: per local day of the last 30, booking attempts that reached the database
 *   (appointments created, including those kept as `failed`), how many were confirmed (every status
 *   but `failed`), and the rate. Refused requests (conflicts, bad input) never create a row: they are
 *   counted in the `askproai_bookings_total` metric instead.
 * - API performance: per outside service (Cal.com, SMS, e-mail, Stripe), calls in the last hour, average
 *   and maximum duration, errors (HTTP status ≥ 400 or no answer).
 */
import type { OperationContext } from "../context.js";

type ReportContext = Pick<OperationContext, "companyId" | "sql" | "now">;

export interface BookingSuccessDay {
  day: string;
  attempts: number;
  confirmed: number;
  failed: number;
  /** confirmed / attempts, 0–1, rounded to 4 digits; null on a day without attempts. */
  rate: number | null;
}

export const bookingSuccessReport = async (ctx: ReportContext, days = 30): Promise<BookingSuccessDay[]> => {
  const { rows } = await ctx.sql.query<{ day: string; attempts: string; confirmed: string }>({
    name: "askproai_report_booking_success",
    text: `
      WITH co AS (SELECT timezone FROM companies WHERE id = $1::uuid),
      span AS (
        SELECT generate_series((to_timestamp($2::double precision / 1000) AT TIME ZONE co.timezone)::date - ($3::int - 1),
                               (to_timestamp($2::double precision / 1000) AT TIME ZONE co.timezone)::date, interval '1 day')::date AS day
        FROM co
      )
      SELECT span.day::text AS day, count(a.id)::text AS attempts, count(a.id) FILTER (WHERE a.status <> 'failed')::text AS confirmed
      FROM span CROSS JOIN co
      LEFT JOIN appointments a ON a.company_id = $1::uuid AND (a.created_at AT TIME ZONE co.timezone)::date = span.day
      GROUP BY span.day ORDER BY span.day`,
    values: [ctx.companyId, ctx.now(), days],
  });
  return rows.map((r) => {
    const attempts = Number(r.attempts);
    const confirmed = Number(r.confirmed);
    return { day: r.day, attempts, confirmed, failed: attempts - confirmed, rate: attempts ? Math.round((confirmed / attempts) * 10_000) / 10_000 : null };
  });
};

export interface ApiPerformanceRow {
  service: string;
  calls: number;
  avgMs: number;
  maxMs: number;
  errors: number;
}

export const apiPerformanceReport = async (ctx: ReportContext, sinceMinutes = 60): Promise<ApiPerformanceRow[]> => {
  const { rows } = await ctx.sql.query<{ service: string; calls: string; avg: string; max: string; errors: string }>({
    name: "askproai_report_api_performance",
    text: `
      SELECT service, count(*)::text AS calls, round(avg(duration_ms))::text AS avg, max(duration_ms)::text AS max,
             count(*) FILTER (WHERE status_code IS NULL OR status_code >= 400 OR error IS NOT NULL)::text AS errors
      FROM api_call_logs
      WHERE company_id = $1::uuid AND created_at > to_timestamp($2::double precision / 1000) - make_interval(mins => $3::int)
      GROUP BY service ORDER BY service`,
    values: [ctx.companyId, ctx.now(), sinceMinutes],
  });
  return rows.map((r) => ({ service: r.service, calls: Number(r.calls), avgMs: Number(r.avg), maxMs: Number(r.max), errors: Number(r.errors) }));
};
