/**
 * Every call to an outside service (Cal.com, the SMS gateway, the mail server, Stripe) is one row of
 * `api_call_logs` (the debug timeline, `reports.apiPerformance`) and one observation of the
 * `askproai_outside_call_duration_seconds` histogram. Clients hand over calls already redacted.
 */
import type { OperationContext } from "../context.js";
import { metrics } from "./metrics.js";

/** One row of `api_call_logs`, already redacted (no keys, bodies, numbers or addresses). */
export interface OutsideCall {
  service: string;
  method: string;
  endpoint: string;
  statusCode: number | null;
  durationMs: number;
  requestBody: Record<string, unknown> | null;
  responseBody: Record<string, unknown> | null;
  error: string | null;
}

const outcomeOf = (call: OutsideCall) => (call.statusCode === null ? "no_answer" : call.statusCode < 400 ? "ok" : call.statusCode === 429 ? "rate_limited" : call.statusCode < 500 ? "rejected" : "error");

export const writeOutsideCall = async (ctx: Pick<OperationContext, "companyId" | "correlationId" | "sql" | "log">, call: OutsideCall) => {
  metrics.outsideCalls.observe({ service: call.service, outcome: outcomeOf(call) }, call.durationMs / 1000);
  await ctx.sql
    .query({
      name: "askproai_api_call_log",
      text: `INSERT INTO api_call_logs (id, company_id, correlation_id, service, method, endpoint, status_code, duration_ms, request_body, response_body, error, created_at)
             VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, now())`,
      values: [
        ctx.companyId, ctx.correlationId, call.service, call.method, call.endpoint, call.statusCode, Math.round(call.durationMs),
        call.requestBody === null ? null : JSON.stringify(call.requestBody), call.responseBody === null ? null : JSON.stringify(call.responseBody), call.error,
      ],
    })
    .catch((error: unknown) => {
      // The log is for people: a side effect must not be repeated because its log row failed.
      ctx.log.warn({ err: error, service: call.service }, "could not write api call log");
    });
};
