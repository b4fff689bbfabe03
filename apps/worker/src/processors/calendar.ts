/**
 * Calendar sync with Cal.com: the `calendar` queue. Transport only; the domain is @askproai/db/calendar.
 * - `calendar.reconcile` (every 5 minutes) lists each syncing company's Cal.com bookings of the coming
 *   weeks, applies what webhooks missed and queues syncs (repair mode) for what does not agree;
 * - `calendar.sync` (from the outbox relay: `{ outboxId, companyId, correlationId, appointmentId, version,
 *   action }`) makes Cal.com agree with the appointment as it is now (the action and version only name
 *   what triggered it). Cal.com refusing the request (4xx other than 409/429), a missing key or
 *   mapping → the sync is `failed` with the reason, never retried (UnrecoverableError). An outage, a
 *   429, a 409 or an open breaker → retried with exponential backoff and jitter, never sooner than a
 *   `Retry-After`; after the last attempt the sync is `failed` (the reconciliation picks it up again).
 */
import { contextFor, type Db, type DomainDeps } from "@askproai/db";
import {
  BrokenCircuitError, CALENDAR_QUEUE, appointmentCorrelationId, CALENDAR_RECONCILE_JOB, CALENDAR_SYNC_JOB, CalcomRejected, CalcomRetryable, SyncRefused, markSyncFailed, noteSyncRetry,
  reconcileCompany, syncAppointment, syncingCompanies, type CalendarRuntime, type ReconcileOptions,
} from "@askproai/db/calendar";
import { UnrecoverableError, type Job, type Queue } from "bullmq";
import { z } from "zod";
import type { Processor } from "./maintenance.js";

export { CALENDAR_QUEUE, CALENDAR_RECONCILE_JOB, CALENDAR_SYNC_JOB };

export interface CalendarProcessorDeps {
  db: Db;
  domain: DomainDeps;
  queue: () => Queue;
  reconcile?: ReconcileOptions;
  /** null: Cal.com is not configured in this worker; syncs fail with that reason. */
  runtime: CalendarRuntime | null;
  now: () => number;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so the syncs an outage held back
 * do not all come back at the same instant; never sooner than Cal.com's Retry-After.
 */
export const calendarBackoff = (baseMs: number, maxMs: number, random: () => number = Math.random) => (attemptsMade: number, _type?: string, error?: Error) => {
  const exponential = Math.min(baseMs * 2 ** Math.max(attemptsMade - 1, 0), maxMs);
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  const retryAfter = error instanceof CalcomRetryable ? (error.retryAfterMs ?? 0) : 0;
  return Math.max(jittered, Math.min(retryAfter, 60 * 60_000));
};

const syncData = z.object({
  companyId: z.uuid(),
  appointmentId: z.uuid(),
  correlationId: z.string().optional(),
  outboxId: z.union([z.string(), z.number()]).optional(),
  version: z.number().int().optional(),
  action: z.string().optional(),
  /** From the reconciliation: also look for (and cancel) extra bookings of the appointment. */
  repair: z.boolean().optional(),
});

const isRetryable = (error: unknown) => error instanceof CalcomRetryable || error instanceof BrokenCircuitError;

/** Reconciliation runs one company at a time; a failing company (Cal.com down) does not stop the others. */
const reconcileAll = async (deps: CalendarProcessorDeps, runtime: CalendarRuntime, job: Job) => {
  const companies = await syncingCompanies(deps.db);
  let queued = 0;
  const failed: string[] = [];
  const bucket = Math.floor(deps.now() / 60_000);
  for (const companyId of companies) {
    const ctx = contextFor(deps.domain, { companyId, correlationId: `reconcile-${job.id ?? bucket}`, actor: { type: "system" }, source: "calcom", now: deps.now });
    try {
      const { toSync } = await reconcileCompany(ctx, runtime, deps.reconcile);
      await deps.queue().addBulk(
        toSync.map((appointmentId) => ({
          name: CALENDAR_SYNC_JOB,
          // Without a correlation id: the sync logs its calls under the booking's own.
          data: { companyId, appointmentId, repair: true },
          opts: { jobId: `reconcile-${appointmentId}-${bucket}` },
        })),
      );
      queued += toSync.length;
    } catch (error) {
      failed.push(companyId);
      ctx.log.warn({ companyId, err: { message: (error as Error).message } }, "calendar reconciliation failed for a company");
    }
  }
  return { companies: companies.length, queued, failed: failed.length };
};

export const calendarProcessors = (deps: CalendarProcessorDeps): Record<string, Processor> => ({
  [CALENDAR_RECONCILE_JOB]: async (job: Job) => (deps.runtime ? reconcileAll(deps, deps.runtime, job) : { skipped: "no Cal.com configuration" }),

  [CALENDAR_SYNC_JOB]: async (job: Job) => {
    const parsed = syncData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`${job.name}: malformed job data (${parsed.error.issues.map((i) => i.path.join(".")).join(", ")})`);
    const data = parsed.data;
    const bare = { companyId: data.companyId, actor: { type: "system" as const }, source: "api" as const, now: deps.now };
    const correlationId = data.correlationId ?? (await appointmentCorrelationId(contextFor(deps.domain, { ...bare, correlationId: String(job.id) }), data.appointmentId)) ?? String(job.id);
    const ctx = contextFor(deps.domain, { ...bare, correlationId });
    try {
      if (!deps.runtime) throw new SyncRefused("this worker has no Cal.com configuration");
      return await syncAppointment(ctx, deps.runtime, data.appointmentId, { repair: data.repair === true });
    } catch (error) {
      const message = error instanceof BrokenCircuitError ? "Cal.com is failing (circuit breaker open)" : (error as Error).message;
      if (error instanceof SyncRefused || error instanceof CalcomRejected) {
        await markSyncFailed(ctx, data.appointmentId, message);
        throw new UnrecoverableError(message);
      }
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (isRetryable(error) && lastAttempt) {
        await markSyncFailed(ctx, data.appointmentId, `${job.attemptsMade + 1} attempts: ${message}`);
      } else {
        await noteSyncRetry(ctx, data.appointmentId, message);
      }
      throw error;
    }
  },
});
