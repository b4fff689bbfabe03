/**
 * The BullMQ worker process: one queue per area (./areas.ts), each with its processors
 * (./processors/<area>.ts). Transport only: a processor reads its job's ids and calls one domain operation.
 */
import type { Db, DomainDeps } from "@askproai/db";
import { recordJobEnd, recordJobStart } from "@askproai/db/ops";
import { Queue, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { defaultDomain, workerAreas, type AreaSettings } from "./areas.js";
import type { Processor } from "./processors/maintenance.js";
import { startWorkerRelay, type RelaySettings } from "./relay.js";

export { MAINTENANCE_QUEUE, PRUNE_OUTBOX_JOB, PURGE_LOCKS_JOB } from "./processors/maintenance.js";
export type { RelaySettings } from "./relay.js";
export * from "./processors/messaging.js";
export * from "./processors/calendar.js";
export * from "./processors/webhooks.js";
export { workerAreas, type WorkerArea } from "./areas.js";

export interface WorkerDeps extends AreaSettings {
  db: Db;
  logger: Logger;
  redisUrl: string;
  /** BullMQ key prefix, so several deployments (or test files) can share one Redis. */
  queuePrefix: string;
  /** Built from `db` without a shared availability cache when not given. */
  domain?: DomainDeps;
  /** The clock of reminders and quiet hours (tests move it). */
  now?: () => number;
  /** BullMQ's stalled-job detection: a job whose worker died is taken up again after this long. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** The outbox relay (./relay.ts): on by default; `false` for tests that add the jobs themselves. */
  relay?: RelaySettings | false;
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

export const startWorker = async ({ db, logger, redisUrl, queuePrefix, ...deps }: WorkerDeps) => {
  const connection = workerConnection(redisUrl);
  const queueConnection = workerConnection(redisUrl);
  const queues: Record<string, Queue> = {};
  const queue = (name: string) => {
    const found = queues[name];
    if (!found) throw new Error(`no worker area has the queue ${name}`);
    return found;
  };
  const areas = workerAreas({ db, domain: defaultDomain(db, deps.domain), now: deps.now ?? Date.now, queue, log: logger }, deps);
  for (const area of areas) {
    queues[area.queue] = new Queue(area.queue, { prefix: queuePrefix, connection: queueConnection as ConnectionOptions, defaultJobOptions: area.jobOptions });
    // Redis going away is logged (the connection reconnects by itself), never an unhandled 'error' event.
    queues[area.queue]!.on("error", (error) => logger.warn({ queue: area.queue, err: { message: error.message } }, "queue connection error"));
  }
  for (const area of areas) {
    for (const { job, everyMs } of area.schedules) await queue(area.queue).upsertJobScheduler(job, { every: everyMs }, { name: job });
  }
  const workers = areas.map(
    (area) =>
      new Worker(area.queue, dispatch(area.queue, area.processors, logger, db), {
        prefix: queuePrefix,
        connection: connection as ConnectionOptions,
        concurrency: area.concurrency,
        ...(area.backoffStrategy ? { settings: { backoffStrategy: area.backoffStrategy } } : {}),
        ...(deps.lockDurationMs ? { lockDuration: deps.lockDurationMs } : {}),
        ...(deps.stalledIntervalMs ? { stalledInterval: deps.stalledIntervalMs } : {}),
      }),
  );
  for (const w of workers) {
    w.on("error", (error) => logger.error({ err: error }, "worker error"));
    w.on("failed", (job, error) => logger.warn({ job: job?.name, jobId: job?.id, attempts: job?.attemptsMade, err: { message: error.message } }, "job failed"));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  const relay = deps.relay === false ? null : await startWorkerRelay({ db, areas, logger, redisUrl, queuePrefix, settings: deps.relay ?? {} });
  return {
    workers,
    /** Every area's queue by name. */
    queues,
    /** One area's queue; throws for a name no area has. */
    queue,
    /** The outbox relay (null when started with `relay: false`). */
    relay: relay?.relay ?? null,
    /** Graceful: stop relaying, finish running jobs, then close Redis connections. The caller disconnects Prisma after. */
    async close() {
      await relay?.close();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      connection.disconnect();
      queueConnection.disconnect();
    },
  };
};
