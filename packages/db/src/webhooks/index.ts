export { storeWebhookEvent, type IncomingWebhook, type StoredDelivery } from "./intake.js";
export { PROCESS_WEBHOOK_JOB, SWEEP_WEBHOOKS_JOB, WEBHOOKS_QUEUE, webhookJobId, webhookJobs, type WebhookJobData } from "./jobs.js";
export {
  PermanentWebhookFailure, processWebhookEvent, WebhookAttemptFailed, type ProcessOutcome, type StoredWebhookEvent, type WebhookDeps, type WebhookEffect, type WebhookWork,
} from "./process.js";
export { CALL_EVENTS, mergeCallEvents, type MergedCall } from "./retell.js";
export { CALCOM_BOOKING_EVENTS } from "./calcom.js";
export { DEFAULT_MAX_RETRIES, isUnprocessed, pruneWebhookEvents, stuckWebhookEvents, type StuckOptions } from "./sweep.js";
