/**
 * The BullMQ worker process: one queue per area, each with its processors (./processors/<area>.ts).
 * Transport only: a processor reads its job's ids and calls one domain operation.
 */
import { createDomainDeps, type Db, type DomainDeps } from "@askproai/db";
import { recordJobEnd, recordJobStart } from "@askproai/db/ops";
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { MAINTENANCE_QUEUE, PURGE_LOCKS_JOB, maintenanceProcessors, type Processor } from "./processors/maintenance.js";
import {
  MESSAGING_QUEUE, PLAN_REMINDERS_JOB, SWEEP_MESSAGES_JOB, SWEEP_WAITLIST_JOB, messagingBackoff, messagingProcessors, type MessagingSettings,
} from "./processors/messaging.js";

export { MAINTENANCE_QUEUE, PURGE_LOCKS_JOB } from "./processors/maintenance.js";
export * from "./processors/messaging.js";

export interface WorkerDeps {
  db: Db;
  logger: Logger;
  redisUrl: string;
  /** BullMQ key prefix, so several deployments (or test files) can share one Redis. */
  queuePrefix: string;
  purgeEveryMs?: number;
  /** Customer messages (gateways, retry policy, schedules); without gateways messages are recorded as skipped. */
  messaging?: MessagingSettings;
  /** Built from `db` without a shared availability cache when not given. */
  domain?: DomainDeps;
  /** The clock of reminders and quiet hours (tests move it). */
  now?: () => number;
  /** BullMQ's stalled-job detection: a job whose worker died is taken up again after this long. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
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

export const startWorker = async ({ db, logger, redisUrl, queuePrefix, purgeEveryMs = 60_000, ...deps }: WorkerDeps) => {
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
  const settings: MessagingSettings = deps.messaging ?? { transports: { sms: null, mail: null } };
  const retryBaseMs = settings.retryBaseMs ?? 5_000;
  const messaging = new Queue(MESSAGING_QUEUE, {
    ...opts,
    connection: queueConnection as ConnectionOptions,
    defaultJobOptions: { attempts: settings.attempts ?? 12, backoff: { type: "messaging" }, removeOnComplete: 1_000, removeOnFail: 5_000 },
  });
  await messaging.upsertJobScheduler(PLAN_REMINDERS_JOB, { every: settings.reminderScanEveryMs ?? 60_000 }, { name: PLAN_REMINDERS_JOB });
  await messaging.upsertJobScheduler(SWEEP_MESSAGES_JOB, { every: settings.sweepEveryMs ?? 15_000 }, { name: SWEEP_MESSAGES_JOB });
  await messaging.upsertJobScheduler(SWEEP_WAITLIST_JOB, { every: settings.waitlistEveryMs ?? 15_000 }, { name: SWEEP_WAITLIST_JOB });
  const messagingWorker = new Worker(
    MESSAGING_QUEUE,
    dispatch(
      MESSAGING_QUEUE,
      messagingProcessors({ db, domain: deps.domain ?? createDomainDeps(db, null), settings, queue: () => messaging, now: deps.now ?? Date.now }),
      logger,
      db,
    ),
    {
      ...opts,
      connection: connection as ConnectionOptions,
      concurrency: 8,
      settings: { backoffStrategy: messagingBackoff(retryBaseMs) },
      ...(deps.lockDurationMs ? { lockDuration: deps.lockDurationMs } : {}),
      ...(deps.stalledIntervalMs ? { stalledInterval: deps.stalledIntervalMs } : {}),
    },
  );

  const workers = [worker, messagingWorker];
  for (const w of workers) {
    w.on("error", (error) => logger.error({ err: error }, "worker error"));
    w.on("failed", (job, error) => logger.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } }, "job failed"));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    worker,
    workers,
    queues: { maintenance, messaging },
    /** Graceful: finish running jobs, then close Redis connections. The caller disconnects Prisma after. */
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([maintenance.close(), messaging.close()]);
      connection.disconnect();
      queueConnection.disconnect();
    },
  };
};
