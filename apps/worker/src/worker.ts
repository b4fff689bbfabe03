import { purgeExpiredLocks, type Db } from "@askproai/db";
import { Queue, Worker, type ConnectionOptions, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";

export const MAINTENANCE_QUEUE = "maintenance";
export const PURGE_LOCKS_JOB = "purge-expired-locks";

export interface WorkerDeps {
  db: Db;
  logger: Logger;
  redisUrl: string;
  /** BullMQ key prefix, so several deployments (or test files) can share one Redis. */
  queuePrefix: string;
  purgeEveryMs?: number;
}

/** BullMQ's production settings: workers block on Redis forever, so no per-request retry limit. */
const workerConnection = (url: string): Redis => new Redis(url, { maxRetriesPerRequest: null });

export const startWorker = async ({ db, logger, redisUrl, queuePrefix, purgeEveryMs = 60_000 }: WorkerDeps) => {
  const connection = workerConnection(redisUrl);
  const queueConnection = workerConnection(redisUrl);
  const opts = { prefix: queuePrefix };

  const maintenance = new Queue(MAINTENANCE_QUEUE, {
    ...opts,
    connection: queueConnection as ConnectionOptions,
    defaultJobOptions: { attempts: 3, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: 100, removeOnFail: 500 },
  });
  // Idempotent: re-registering on every start replaces the schedule instead of adding another.
  await maintenance.upsertJobScheduler(PURGE_LOCKS_JOB, { every: purgeEveryMs }, { name: PURGE_LOCKS_JOB });

  const processors: Record<string, (job: Job) => Promise<unknown>> = {
    [PURGE_LOCKS_JOB]: async () => ({ purged: await purgeExpiredLocks(db) }),
  };

  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      const processor = processors[job.name];
      if (!processor) throw new Error(`no processor for job ${job.name}`);
      const log = logger.child({ queue: MAINTENANCE_QUEUE, job: job.name, jobId: job.id, correlationId: job.data?.correlationId ?? job.id });
      const started = Date.now();
      const result = await processor(job);
      log.info({ result, ms: Date.now() - started }, "job done");
      return result;
    },
    { ...opts, connection: connection as ConnectionOptions, concurrency: 4 },
  );
  worker.on("error", (error) => logger.error({ err: error }, "worker error"));
  worker.on("failed", (job, error) => logger.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } }, "job failed"));
  await worker.waitUntilReady();

  return {
    worker,
    queues: { maintenance },
    /** Graceful: finish running jobs, then close Redis connections. The caller disconnects Prisma after. */
    async close() {
      await worker.close();
      await maintenance.close();
      connection.disconnect();
      queueConnection.disconnect();
    },
  };
};
