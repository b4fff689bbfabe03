/**
 * Hands stored webhook events to the worker's `webhooks` queue after the answer went out. Best effort
 * and bounded: with Redis down (the API's client has no offline queue) or slow, the event simply waits
 * in PostgreSQL for the worker's sweep, which re-queues events unprocessed for more than ~30 s.
 * Events stored in the same turn of the event loop go to Redis as one `addBulk` (one round trip), which
 * keeps the hand-over cheap when many senders deliver at once.
 */
import { WEBHOOKS_QUEUE, webhookJobs, type WebhookJobData } from "@askproai/db/webhooks";
import { Queue, type ConnectionOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

export const ENQUEUE_TIMEOUT_MS = 500;

export interface WebhookDispatch {
  /** Never rejects; resolves once the event's batch is queued, refused or timed out. */
  enqueue(event: WebhookJobData): Promise<void>;
  close(): Promise<void>;
}

export const createWebhookDispatch = (redis: Redis, redisPrefix: string, logger: Logger): WebhookDispatch => {
  let queue: Queue | null = null;
  let batch: { events: WebhookJobData[]; done: Promise<void> } | null = null;
  const skipped = (reason: string, events: number) => logger.warn({ reason, events }, "webhook stored but not queued; the worker's sweep will queue it");

  const send = async (events: WebhookJobData[]) => {
    if (redis.status !== "ready") return skipped(`redis ${redis.status}`, events.length);
    if (!queue) {
      queue = new Queue(WEBHOOKS_QUEUE, { connection: redis as ConnectionOptions, prefix: `${redisPrefix}bull` });
      // The shared connection's errors are logged where it is made (deps.ts).
      queue.on("error", () => undefined);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
    });
    try {
      await Promise.race([queue.addBulk(webhookJobs(events)), timeout]);
    } catch (error) {
      skipped((error as Error).message, events.length);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    enqueue(event) {
      if (batch) {
        batch.events.push(event);
        return batch.done;
      }
      const events = [event];
      const done = new Promise<void>((resolve) => {
        setImmediate(() => {
          batch = null;
          void send(events).then(resolve);
        });
      });
      batch = { events, done };
      return done;
    },
    async close() {
      await queue?.close();
    },
  };
};
