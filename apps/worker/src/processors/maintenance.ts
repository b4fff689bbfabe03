/** Maintenance jobs: system-wide sweeps, hence the unscoped client. */
import type { Db } from "@askproai/db";
import { purgeExpiredLocks } from "@askproai/db/booking";
import { pruneDispatchedOutbox } from "@askproai/db/outbox";
import { purgeVoiceAnswers } from "@askproai/db/voice";
import type { Job } from "bullmq";

export const MAINTENANCE_QUEUE = "maintenance";
export const PURGE_LOCKS_JOB = "purge-expired-locks";
export const PRUNE_OUTBOX_JOB = "outbox.prune";

export interface ProcessorDeps {
  db: Db;
  /** How long dispatched outbox rows are kept (for the debug timeline). */
  outboxRetentionMs: number;
}

export type Processor = (job: Job) => Promise<unknown>;

export const maintenanceProcessors = (deps: ProcessorDeps): Record<string, Processor> => ({
  // Expired slot locks and holds, and voice answers kept past any retry (voice/replay.ts).
  [PURGE_LOCKS_JOB]: async () => ({ purged: await purgeExpiredLocks(deps.db), voiceAnswers: await purgeVoiceAnswers(deps.db) }),
  // Dispatched outbox rows past their retention; pending ones are never touched.
  [PRUNE_OUTBOX_JOB]: async () => ({ pruned: await pruneDispatchedOutbox(deps.db, deps.outboxRetentionMs) }),
});
