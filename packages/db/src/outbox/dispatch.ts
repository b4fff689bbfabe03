/**
 * One pass of the outbox relay: claim due rows, hand them to their queues, mark them dispatched, all in
 * one transaction, so a row is marked only once its job is in Redis.
 *
 * - Claim: `FOR UPDATE SKIP LOCKED`, oldest first, a small batch: several relays (two workers, worker + API)
 *   take disjoint rows and never wait on each other.
 * - Enqueue: one job per row, job id `outbox-<row id>`. BullMQ ignores an add whose job id exists, so a relay
 *   killed between enqueue and mark (or whose COMMIT was lost) re-adds the same id on the next pass and no
 *   second job appears while the first is kept (waiting, active, failed, or completed within the area's
 *   `removeOnComplete`). Past that retention a re-add does make a second job; the processors are idempotent,
 *   which is the guarantee relied on: `notification.send` plans messages under a unique key (appointment,
 *   version, kind, channel; `ON CONFLICT DO NOTHING`) and delivers each message at most once (job
 *   `deliver-<message id>`, the message's state), so a second job sends nothing twice (messaging.integration
 *   and relay tests count the SMS).
 * - Failure (Redis down or slow, a COMMIT lost): the transaction rolls back, so the rows stay pending; their
 *   `attempts`/`last_error` are recorded and `available_at` moves by an exponential backoff.
 * Job data carries ids only: `{ ...payload (ids), outboxId, companyId, correlationId }`.
 */
import type pg from "pg";
import { poolOf, type Db } from "../client.js";
import { metrics } from "../ops/metrics.js";
import { inTransaction } from "../sql.js";

/** The part of a BullMQ `Queue` the relay uses (structural: this package does not depend on BullMQ). */
export interface RelayQueue {
  addBulk(jobs: { name: string; data: Record<string, unknown>; opts: { jobId: string } }[]): Promise<unknown>;
}

/** Where rows of one topic go: a queue and the job name they become. */
export interface OutboxRoute {
  queue: RelayQueue;
  job: string;
}

export interface DispatchSettings {
  routes: Record<string, OutboxRoute>;
  batchSize: number;
  /** A hung Redis client must not hold the rows' locks: the enqueue is given up after this long. */
  enqueueTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Test-only: runs after the jobs are in Redis and before the rows are marked (a crash there). */
  afterEnqueue?: (outboxIds: string[]) => Promise<void> | void;
}

interface ClaimedRow {
  id: string;
  companyId: string;
  topic: string;
  payload: Record<string, unknown>;
  correlationId: string;
}

export const outboxJobId = (outboxId: string) => `outbox-${outboxId}`;

const CLAIM = `
  SELECT id, company_id AS "companyId", topic, payload, correlation_id AS "correlationId"
  FROM outbox_events
  WHERE dispatched_at IS NULL AND available_at <= now() AND topic = ANY($1::text[])
  ORDER BY created_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED`;

const MARK = "UPDATE outbox_events SET dispatched_at = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])";

/** Pushes the rows back by base × 2^attempts (at most max); answers the shortest wait in ms. */
const RECORD_FAILURE = `
  UPDATE outbox_events
  SET attempts = attempts + 1, last_error = left($2, 500),
      available_at = now() + make_interval(secs => least($3::float8 * power(2, least(attempts, 20)), $4::float8) / 1000)
  WHERE id = ANY($1::uuid[]) AND dispatched_at IS NULL
  RETURNING ceil(extract(epoch FROM available_at - now()) * 1000)::int AS "waitMs"`;

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
};

const enqueue = async (rows: ClaimedRow[], settings: DispatchSettings) => {
  const byQueue = new Map<RelayQueue, Parameters<RelayQueue["addBulk"]>[0]>();
  for (const row of rows) {
    const route = settings.routes[row.topic]!;
    const jobs = byQueue.get(route.queue) ?? [];
    jobs.push({
      name: route.job,
      data: { ...row.payload, outboxId: row.id, companyId: row.companyId, correlationId: row.correlationId },
      opts: { jobId: outboxJobId(row.id) },
    });
    byQueue.set(route.queue, jobs);
  }
  await withTimeout(Promise.all([...byQueue].map(([queue, jobs]) => queue.addBulk(jobs))), settings.enqueueTimeoutMs, "enqueue");
};

export type PassResult =
  | { ok: true; dispatched: number }
  /** `waitMs`: when the earliest of the failed rows is due again (null: the database itself failed). */
  | { ok: false; dispatched: 0; error: Error; waitMs: number | null };

/** Claims, enqueues and marks one batch. Never throws: a failure is answered (and recorded on the rows). */
export const dispatchBatch = async (pool: pg.Pool, settings: DispatchSettings): Promise<PassResult> => {
  const topics = Object.keys(settings.routes);
  let claimed: ClaimedRow[] = [];
  let stage: "database" | "enqueue" = "database";
  try {
    await inTransaction(pool, async (tx) => {
      claimed = (await tx.query<ClaimedRow>(CLAIM, [topics, settings.batchSize])).rows;
      if (claimed.length === 0) return;
      stage = "enqueue";
      await enqueue(claimed, settings);
      await settings.afterEnqueue?.(claimed.map((r) => r.id));
      stage = "database";
      await tx.query(MARK, [claimed.map((r) => r.id)]);
    });
  } catch (error) {
    metrics.outboxRelayFailures.inc({ stage });
    const err = error instanceof Error ? error : new Error(String(error));
    if (claimed.length === 0) return { ok: false, dispatched: 0, error: err, waitMs: null };
    const recorded = await pool
      .query<{ waitMs: number }>(RECORD_FAILURE, [claimed.map((r) => r.id), `${stage}: ${err.message}`, settings.retryBaseMs, settings.retryMaxMs])
      .catch(() => null);
    const waitMs = recorded?.rows.length ? Math.max(0, Math.min(...recorded.rows.map((r) => r.waitMs))) : null;
    return { ok: false, dispatched: 0, error: err, waitMs };
  }
  for (const row of claimed) metrics.outboxRelayed.inc({ topic: row.topic });
  return { ok: true, dispatched: claimed.length };
};

/** Deletes dispatched rows older than the retention (they feed the debug timeline until then), in batches. */
export const pruneDispatchedOutbox = async (db: Db, retentionMs: number, batch = 5_000): Promise<number> => {
  const pool = poolOf(db);
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT id FROM outbox_events WHERE dispatched_at < now() - make_interval(secs => $1::float8 / 1000) LIMIT $2)`,
      [retentionMs, batch],
    );
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < batch) return total;
  }
};
