/**
 * What the calendar area needs at run time in the worker: where Cal.com is, how to open a company's
 * sealed API key, the request timeout and the companies' circuit breakers. A Cal.com client for one
 * company logs every call in `api_call_logs` (with the operation's correlation id) and keeps the
 * connection's last success / last error up to date.
 */
import type { SecretBox } from "@askproai/shared/server";
import type { OperationContext } from "../context.js";
import { writeOutsideCall } from "../ops/outside-calls.js";
import type { CalendarBreakers } from "./breaker.js";
import { createCalcomClient, type CalcomClient } from "./client.js";

export interface CalendarRuntime {
  apiUrl: string;
  secrets: SecretBox;
  breakers: CalendarBreakers;
  /** Per request (default 10 s). */
  timeoutMs?: number;
  /** How long a create whose answer was lost may still land in Cal.com (default the timeout + 5 s). */
  inFlightGraceMs?: number;
}

/** A sync that cannot succeed as things are (no key, no mapping, Cal.com refused the request): not retried. */
export class SyncRefused extends Error {
  override readonly name = "SyncRefused";
}

type Ctx = Pick<OperationContext, "companyId" | "correlationId" | "sql" | "log">;

const noteOutcome = (ctx: Ctx, ok: boolean, error: string | null) =>
  ctx.sql
    .query({
      name: ok ? "askproai_calendar_success" : "askproai_calendar_error",
      text: ok
        ? `INSERT INTO calendar_connections (company_id, last_success_at, created_at, updated_at) VALUES ($1::uuid, now(), now(), now())
           ON CONFLICT (company_id) DO UPDATE SET last_success_at = now(), updated_at = now()`
        : `INSERT INTO calendar_connections (company_id, last_error_at, last_error, created_at, updated_at) VALUES ($1::uuid, now(), $2, now(), now())
           ON CONFLICT (company_id) DO UPDATE SET last_error_at = now(), last_error = EXCLUDED.last_error, updated_at = now()`,
      values: ok ? [ctx.companyId] : [ctx.companyId, error],
    })
    .catch((e: unknown) => ctx.log.warn({ err: e }, "could not record the Cal.com connection's state"));

export const calcomClientFor = (ctx: Ctx, runtime: CalendarRuntime, apiKeyEncrypted: string | null): CalcomClient => {
  if (!apiKeyEncrypted) throw new SyncRefused("the company has no Cal.com API key (calendar.setConnection)");
  let apiKey: string;
  try {
    apiKey = runtime.secrets.open(apiKeyEncrypted);
  } catch {
    throw new SyncRefused("the stored Cal.com API key cannot be opened with this SECRETS_KEY; store it again");
  }
  return createCalcomClient({
    baseUrl: runtime.apiUrl,
    apiKey,
    timeoutMs: runtime.timeoutMs ?? 10_000,
    guard: (fn) => runtime.breakers.run(ctx.companyId, fn),
    onCall: async (call) => {
      await writeOutsideCall(ctx, call);
      const ok = call.statusCode !== null && call.statusCode < 400;
      await noteOutcome(ctx, ok, ok ? null : `${call.method} ${call.endpoint}: ${call.error ?? call.statusCode}`);
    },
  });
};
