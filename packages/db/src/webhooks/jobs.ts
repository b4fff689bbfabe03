/**
 * The worker's `webhooks` queue: one job per stored event, `webhook-<row id>` (BullMQ ignores a job id
 * it already has, so the API's hand-over, a repeat delivery and the sweep's re-queue are one job).
 * Job data carries ids only: the payload stays in PostgreSQL.
 */
export const WEBHOOKS_QUEUE = "webhooks";
export const PROCESS_WEBHOOK_JOB = "webhook.process";
export const SWEEP_WEBHOOKS_JOB = "webhooks.sweep";

export interface WebhookJobData {
  webhookEventId: string;
  correlationId: string;
}

export const webhookJobId = (webhookEventId: string) => `webhook-${webhookEventId}`;

export const webhookJobs = (events: WebhookJobData[]) =>
  events.map((e) => ({
    name: PROCESS_WEBHOOK_JOB,
    data: { webhookEventId: e.webhookEventId, correlationId: e.correlationId } satisfies WebhookJobData,
    opts: { jobId: webhookJobId(e.webhookEventId) },
  }));
