/**
 * The worker's webhook maintenance: events stored but not processed for a while are handed to the
 * queue again (their job was lost: Redis was down at intake, or the API died between storing and
 * enqueueing, or a job gave up), up to a bound of failed attempts; processed events are deleted once
 * their retention is over (the sender's retries are long past by then).
 */
import { poolOf, type Db } from "../client.js";
import type { WebhookJobData } from "./jobs.js";

export interface StuckOptions {
  /** Unprocessed for at least this long (ms). */
  olderThanMs: number;
  /** Events that failed this many attempts stay as they are (with their last error) for a human. */
  maxRetries?: number;
  limit?: number;
}

export const DEFAULT_MAX_RETRIES = 50;

export const stuckWebhookEvents = async (db: Db, { olderThanMs, maxRetries = DEFAULT_MAX_RETRIES, limit = 500 }: StuckOptions): Promise<WebhookJobData[]> => {
  const { rows } = await poolOf(db).query<WebhookJobData>({
    name: "askproai_webhooks_stuck",
    text: `SELECT id AS "webhookEventId", correlation_id AS "correlationId" FROM webhook_events
           WHERE processed_at IS NULL AND received_at < now() - $1::int * interval '1 millisecond' AND retry_count < $2::int
           ORDER BY received_at LIMIT $3::int`,
    values: [Math.max(0, Math.round(olderThanMs)), maxRetries, limit],
  });
  return rows;
};

/** Whether the event still waits for processing (read after its job was seen finished: a job ends after its commit). */
export const isUnprocessed = async (db: Db, webhookEventId: string): Promise<boolean> => {
  const { rows } = await poolOf(db).query<{ pending: boolean }>({
    name: "askproai_webhook_unprocessed",
    text: "SELECT processed_at IS NULL AS pending FROM webhook_events WHERE id = $1::uuid",
    values: [webhookEventId],
  });
  return rows[0]?.pending === true;
};

/** Deletes processed events older than the retention, in batches; answers how many went. */
export const pruneWebhookEvents = async (db: Db, retentionDays: number, batch = 5_000): Promise<number> => {
  const { rowCount } = await poolOf(db).query({
    name: "askproai_webhooks_prune",
    text: `DELETE FROM webhook_events WHERE id IN (
             SELECT id FROM webhook_events WHERE processed_at < now() - $1::double precision * interval '1 day' LIMIT $2::int)`,
    values: [retentionDays, batch],
  });
  return rowCount ?? 0;
};
