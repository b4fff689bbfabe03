/**
 * The outbox relay in the worker process: routes every topic an area lists (`topics` in ./areas.ts) to that
 * area's queue; rows of other topics stay pending until an area consumes them.
 *
 * The relay's queues have a Redis connection of their own that fails fast (no offline queue): with Redis
 * down an enqueue fails at once, the claiming transaction rolls back and the rows are retried with backoff
 * (packages/db/src/outbox/dispatch.ts), instead of holding their row locks while commands queue up. Once the
 * connection is back, those rows are made due at once (`retryNow`).
 */
import type { Db } from "@askproai/db";
import { startOutboxRelay, type OutboxRelayOptions, type OutboxRoute } from "@askproai/db/outbox";
import { Queue, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import type { WorkerArea } from "./areas.js";

/** What a worker may tell its relay (tests: a short poll, the crash hook); `false` runs no relay. */
export type RelaySettings = Pick<OutboxRelayOptions, "pollMs" | "batchSize" | "retryBaseMs" | "retryMaxMs" | "enqueueTimeoutMs" | "afterEnqueue">;

export const startWorkerRelay = async (args: {
  db: Db;
  areas: WorkerArea[];
  logger: Logger;
  redisUrl: string;
  queuePrefix: string;
  settings: RelaySettings;
}) => {
  const consuming = args.areas.filter((area) => Object.keys(area.topics ?? {}).length > 0);
  const connection = new Redis(args.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  connection.on("error", () => undefined);
  const routes: Record<string, OutboxRoute> = {};
  const queues = consuming.map((area) => {
    // The area's job options: a relayed job retries and is kept like any other job of the area.
    const queue = new Queue(area.queue, { prefix: args.queuePrefix, connection: connection as ConnectionOptions, defaultJobOptions: area.jobOptions });
    queue.on("error", () => undefined); // reported by the relay as a failed pass
    for (const [topic, job] of Object.entries(area.topics ?? {})) routes[topic] = { queue, job };
    return queue;
  });
  // Ready before the first pass: a queue whose first connection fails never recovers (BullMQ keeps the failed start-up).
  await Promise.all(queues.map((q) => q.waitUntilReady()));
  const relay = await startOutboxRelay({ db: args.db, routes, log: args.logger.child({ component: "outbox-relay" }), ...args.settings });
  // Redis is back: rows held back by the outage go out now rather than after their backoff.
  connection.on("ready", () => void relay.retryNow());
  return {
    relay,
    async close() {
      await relay.stop();
      await Promise.all(queues.map((q) => q.close().catch(() => undefined)));
      connection.disconnect();
    },
  };
};
