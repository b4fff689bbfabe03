/**
 * Signed webhooks (Retell, Cal.com, Stripe): the `webhooks` queue. Transport only; the domain is
 * @askproai/db/webhooks.
 * - `webhook.process` `{ webhookEventId, correlationId }` (job id `webhook-<row id>`, queued by the API
 *   after storing the event) processes the event exactly once; a failure is kept on the row and retried
 *   with exponential backoff; what can never succeed is recorded and fails the job without retries;
 * - `webhooks.sweep` (every 10 s) re-queues events stored but unprocessed for longer than `stuckAfterMs`
 *   (their job was lost, or ended without processing them) and deletes processed events past their retention.
 */
import type { Db } from "@askproai/db";
import type { StripeApi } from "@askproai/db/billing";
import { metrics } from "@askproai/db/ops";
import {
  isUnprocessed, processWebhookEvent, pruneWebhookEvents, WebhookAttemptFailed, stuckWebhookEvents, webhookJobId, webhookJobs, PROCESS_WEBHOOK_JOB, SWEEP_WEBHOOKS_JOB, type WebhookJobData,
} from "@askproai/db/webhooks";
import { UnrecoverableError, type Queue } from "bullmq";
import { z } from "zod";
import type { Processor } from "./maintenance.js";

export { PROCESS_WEBHOOK_JOB, SWEEP_WEBHOOKS_JOB, WEBHOOKS_QUEUE } from "@askproai/db/webhooks";

export interface WebhookSettings {
  /** Stripe's API for re-fetching subscriptions (STRIPE_API_KEY set); null: events are ordered by `created`. */
  stripe: StripeApi | null;
  /** Processed events are deleted after this many days (WEBHOOK_RETENTION_DAYS). */
  retentionDays?: number;
  /** An event unprocessed this long has lost its job and is queued again (default 30 s). */
  stuckAfterMs?: number;
  sweepEveryMs?: number;
  attempts?: number;
  /** First retry delay; doubles per attempt. */
  retryBaseMs?: number;
}

export interface WebhookProcessorDeps {
  db: Db;
  settings: WebhookSettings;
  queue: () => Queue;
}

/**
 * Queues stuck events again. BullMQ ignores an add whose job id it still holds, so a job that already
 * ended (completed as "busy" while a worker that then died held the row, or failed while Redis was cut)
 * would keep its event stuck for good: such a finished job is removed first. A job still waiting,
 * delayed or running is left alone (it will run; a dead worker's is taken up by stalled-job detection).
 */
const requeue = async (db: Db, queue: Queue, stuck: WebhookJobData[]) => {
  let requeued = 0;
  for (const event of stuck) {
    const job = await queue.getJob(webhookJobId(event.webhookEventId));
    if (job) {
      const state = await job.getState();
      if (state !== "completed" && state !== "failed") continue;
      // Seen stuck before its job finished processing it? A job ends after its commit, so read the row again.
      if (!(await isUnprocessed(db, event.webhookEventId))) continue;
      await job.remove().catch(() => undefined); // taken by another sweep meanwhile: the add below is then a no-op
    }
    await queue.addBulk(webhookJobs([event]));
    requeued++;
  }
  return requeued;
};

const jobData = z.object({ webhookEventId: z.uuid(), correlationId: z.string().max(200).optional() });

export const webhookProcessors = (deps: WebhookProcessorDeps): Record<string, Processor> => ({
  [PROCESS_WEBHOOK_JOB]: async (job) => {
    const parsed = jobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`${job.name}: malformed job data`);
    let result;
    try {
      result = await processWebhookEvent({ db: deps.db, stripe: deps.settings.stripe }, parsed.data.webhookEventId);
    } catch (error) {
      metrics.webhookEvents.inc({ source: error instanceof WebhookAttemptFailed && error.source ? error.source : "unknown", outcome: "failed" });
      throw error;
    }
    if (result.outcome === "processed") metrics.webhookEvents.inc({ source: result.source, outcome: "processed" });
    if (result.outcome === "unrecoverable") {
      metrics.webhookEvents.inc({ source: result.source, outcome: "unrecoverable" });
      // Recorded as processed with its error; the job fails without retries so the dashboard shows it.
      throw new UnrecoverableError(result.detail);
    }
    return result;
  },

  [SWEEP_WEBHOOKS_JOB]: async () => {
    const stuck = await stuckWebhookEvents(deps.db, { olderThanMs: deps.settings.stuckAfterMs ?? 30_000 });
    return { requeued: await requeue(deps.db, deps.queue(), stuck), pruned: await pruneWebhookEvents(deps.db, deps.settings.retentionDays ?? 30) };
  },
});
