/**
 * The BullMQ worker process: one queue per area, each with its processors (./processors/<area>.ts).
 * Transport only: a processor reads its job's ids and calls one domain operation.
 */
import type { Db } from "@askproai/db";
import { recordJobEnd, recordJobStart } from "@askproai/db/ops";
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { MAINTENANCE_QUEUE, PURGE_LOCKS_JOB, maintenanceProcessors, type Processor } from "./processors/maintenance.js";

export { MAINTENANCE_QUEUE, PURGE_LOCKS_JOB } from "./processors/maintenance.js";

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

/**
 * Runs the job's processor by name; a job nobody can process is never retried. Every run is recorded
 * in job_attempts (the debug timeline) with the job's correlation id and company, when it carries them.
 */
const dispatch = (queue: string, processors: Record<string, Processor>, logger: Logger, db: Db): Processor => async (job) => {
  const processor = processors[job.name];
  const data = (job.data ?? {}) as { correlationId?: unknown; companyId?: unknown };
  const correlationId = typeof data.correlationId === "string" ? data.correlationId : String(job.id ?? job.name);
  const log = logger.child({ queue, job: job.name, jobId: job.id, correlationId });
  const attempt = await recordJobStart(db, {
    queue,
    jobName: job.name,
    jobId: String(job.id ?? ""),
    attempt: job.attemptsMade + 1,
    correlationId,
    companyId: typeof data.companyId === "string" ? data.companyId : null,
  });
  const started = Date.now();
  try {
    if (!processor) throw new UnrecoverableError(`no processor for job ${job.name} on queue ${queue}`);
    const result = await processor(job);
    await recordJobEnd(db, attempt, "completed");
    log.info({ result, ms: Date.now() - started }, "job done");
    return result;
  } catch (error) {
    const last = error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await recordJobEnd(db, attempt, last ? "gave_up" : "failed", (error as Error).message);
    throw error;
  }
};

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

  const worker = new Worker(MAINTENANCE_QUEUE, dispatch(MAINTENANCE_QUEUE, maintenanceProcessors({ db }), logger, db), {
    ...opts,
    connection: connection as ConnectionOptions,
    concurrency: 4,
  });
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
