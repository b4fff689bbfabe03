/**
 * Queues the delivery of messages a request planned (a waitlist "it is gone" answer) on the worker's
 * messaging queue, so the customer hears back in seconds. Best effort: the message row is already
 * committed, and the worker's sweep delivers it anyway if this fails (Redis down).
 */
import { MESSAGING_QUEUE, deliveryJobs, type DeliveryRef } from "@askproai/db/messaging";
import { Queue, type ConnectionOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";

export interface MessageDispatch {
  enqueue(messages: DeliveryRef[]): Promise<void>;
  close(): Promise<void>;
}

export const createMessageDispatch = (redis: Redis, redisPrefix: string, logger: Logger): MessageDispatch => {
  let queue: Queue | null = null;
  return {
    async enqueue(messages) {
      if (messages.length === 0) return;
      queue ??= new Queue(MESSAGING_QUEUE, { connection: redis as ConnectionOptions, prefix: `${redisPrefix}bull` });
      await queue.addBulk(deliveryJobs(messages)).catch((error: unknown) => {
        logger.warn({ err: { message: (error as Error).message }, messages: messages.length }, "could not queue message delivery; the worker's sweep will");
      });
    },
    async close() {
      await queue?.close();
    },
  };
};
