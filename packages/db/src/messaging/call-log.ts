/** Every call to the SMS gateway or the mail server, in `api_call_logs` (already redacted by the clients). */
import type { OperationContext } from "../context.js";
import type { OutsideCall } from "./outcome.js";

export const logOutsideCall = async (ctx: Pick<OperationContext, "companyId" | "correlationId" | "sql" | "log">, call: OutsideCall, messageId: string) => {
  await ctx.sql
    .query({
      name: "askproai_api_call_log",
      text: `INSERT INTO api_call_logs (id, company_id, correlation_id, service, method, endpoint, status_code, duration_ms, request_body, response_body, error, created_at)
             VALUES (gen_random_uuid(), $1::uuid, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, now())`,
      values: [
        ctx.companyId, ctx.correlationId, call.service, call.method, call.endpoint, call.statusCode, call.durationMs,
        JSON.stringify({ messageId, ...call.requestBody }), call.responseBody === null ? null : JSON.stringify(call.responseBody), call.error,
      ],
    })
    .catch((error: unknown) => {
      // The log is for people; a message must not be sent twice because its log row failed.
      ctx.log.warn({ err: error, messageId }, "could not write api call log");
    });
};
