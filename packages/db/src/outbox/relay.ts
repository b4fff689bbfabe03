/**
 * The outbox relay: turns outbox rows (written in the transaction of the change they announce) into
 * BullMQ jobs on the queues of the areas that consume their topics (one pass: ./dispatch.ts).
 *
 * Wake-up: a trigger on `outbox_events` sends `NOTIFY askproai_outbox` at the commit of every inserting
 * statement; the relay LISTENs on a dedicated connection and drains at once (commit → job in a few ms).
 * A slow poll (`pollMs`, 5 s) covers missed notifications (a lost LISTEN connection), rows whose
 * `available_at` lies ahead, and rows pushed back after a failure; an idle relay costs PostgreSQL one
 * indexed query per poll. Any number of relays may run (SKIP LOCKED, job ids derived from rows).
 * Rows of topics no route names stay pending (logged once per topic and process).
 */
import type pg from "pg";
import { poolOf, type Db } from "../client.js";
import { listenOn, type Listening } from "../listen.js";
import type { OperationLog } from "../context.js";
import { dispatchBatch, type DispatchSettings, type OutboxRoute } from "./dispatch.js";
import { OUTBOX_TOPICS } from "./write.js";

export const OUTBOX_CHANNEL = "askproai_outbox";

export interface OutboxRelayOptions {
  db: Db;
  /** topic → queue and job name; rows of other topics stay pending. */
  routes: Record<string, OutboxRoute>;
  log: OperationLog;
  /** The slow poll beside the notifications (default 5 s). */
  pollMs?: number;
  /** Rows per transaction (default 50). */
  batchSize?: number;
  /** Backoff of rows whose enqueue failed: base × 2^attempts, at most max (defaults 1 s, 15 s). */
  retryBaseMs?: number;
  retryMaxMs?: number;
  enqueueTimeoutMs?: number;
  /** Test-only hook between enqueue and mark (see DispatchSettings). */
  afterEnqueue?: DispatchSettings["afterEnqueue"];
}

export class OutboxRelay {
  private readonly settings: DispatchSettings;
  private readonly pollMs: number;
  private readonly pool: pg.Pool;
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private listening: Listening | null = null;
  private stopped = false;
  /** Consecutive passes that failed in the database (their retry waits grow). */
  private dbFailures = 0;
  private readonly warnedTopics = new Set<string>();
  /** While passes fail: since when, how many, when last logged (one line per 30 s, not one per pass). */
  private failing: { since: number; passes: number; loggedAt: number } | null = null;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pool = poolOf(options.db);
    this.pollMs = options.pollMs ?? 5_000;
    this.settings = {
      routes: options.routes,
      batchSize: options.batchSize ?? 50,
      enqueueTimeoutMs: options.enqueueTimeoutMs ?? 5_000,
      retryBaseMs: options.retryBaseMs ?? 1_000,
      retryMaxMs: options.retryMaxMs ?? 15_000,
      afterEnqueue: options.afterEnqueue,
    };
  }

  /** Starts listening and drains what is due now. */
  async start() {
    await this.listen();
    await this.warnUnrouted().catch((error: unknown) => this.options.log.warn({ err: { message: (error as Error).message } }, "outbox relay: topic check failed"));
    void this.kick();
  }

  /** Drains now (a notification, the poll, or a caller that just committed rows). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain() {
    let nextMs = this.pollMs;
    do {
      this.again = false;
      for (;;) {
        const result = await dispatchBatch(this.pool, this.settings);
        if (result.ok) {
          this.dbFailures = 0;
          this.recovered();
          if (result.dispatched < this.settings.batchSize || this.stopped) break;
          continue;
        }
        this.failed(result.error, result.waitMs);
        if (result.waitMs === null) {
          this.dbFailures += 1;
          nextMs = Math.min(nextMs, this.settings.retryBaseMs * 2 ** Math.min(this.dbFailures - 1, 10), this.settings.retryMaxMs);
        } else {
          nextMs = Math.min(nextMs, Math.max(result.waitMs, 50));
        }
        this.again = false;
        break;
      }
    } while (this.again && !this.stopped);
    this.schedule(nextMs);
  }

  private failed(error: Error, retryInMs: number | null) {
    const now = Date.now();
    if (this.failing && now - this.failing.loggedAt < 30_000) {
      this.failing.passes += 1;
      return;
    }
    const passes = (this.failing?.passes ?? 0) + 1;
    this.failing = { since: this.failing?.since ?? now, passes: 0, loggedAt: now };
    this.options.log.warn({ err: { message: error.message }, retryInMs, failedPasses: passes }, "outbox relay: dispatch failed; rows stay pending");
  }

  private recovered() {
    if (!this.failing) return;
    this.options.log.info({ failingForMs: Date.now() - this.failing.since }, "outbox relay: dispatching again");
    this.failing = null;
  }

  /**
   * Makes the rows held back by a failed pass due now and drains: called when Redis is reachable again
   * (the worker's relay connection reconnected), so they need not wait out their backoff.
   */
  async retryNow() {
    if (this.stopped) return;
    await this.pool
      .query(
        `UPDATE outbox_events SET available_at = now()
         WHERE dispatched_at IS NULL AND last_error IS NOT NULL AND available_at > now() AND topic = ANY($1::text[])`,
        [Object.keys(this.options.routes)],
      )
      .catch((error: unknown) => this.options.log.warn({ err: { message: (error as Error).message } }, "outbox relay: retry after reconnect failed"));
    await this.kick();
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.kick(), ms);
    this.timer.unref();
  }

  private listen() {
    this.listening = listenOn(this.pool.options.connectionString, OUTBOX_CHANNEL, {
      onNotify: () => void this.kick(),
      // After a lost LISTEN connection the poll covered the gap; a drain follows the reconnect.
      onUp: (again) => {
        if (again) void this.kick();
      },
      onDown: (error, wasUp) => {
        if (!wasUp) this.options.log.warn({ err: { message: error.message } }, "outbox relay: LISTEN failed; polling only until it is back");
      },
    });
    return this.listening.ready;
  }

  /** Topics written here (or pending now) that no route consumes: their rows wait for an area. */
  private async warnUnrouted() {
    const routed = Object.keys(this.options.routes);
    const { rows } = await this.pool.query<{ topic: string }>(
      "SELECT DISTINCT topic FROM outbox_events WHERE dispatched_at IS NULL AND NOT (topic = ANY($1::text[]))",
      [routed],
    );
    const topics = new Set([...Object.values(OUTBOX_TOPICS), ...rows.map((r) => r.topic)]);
    for (const topic of topics) {
      if (routed.includes(topic) || this.warnedTopics.has(topic)) continue;
      this.warnedTopics.add(topic);
      this.options.log.warn({ topic }, "outbox relay: no worker area consumes this topic; its rows stay pending");
    }
  }

  /** Stops waking, waits for a pass in progress to finish (or fail), closes the LISTEN connection. */
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.listening?.stop();
    this.listening = null;
  }
}

export const startOutboxRelay = async (options: OutboxRelayOptions) => {
  const relay = new OutboxRelay(options);
  await relay.start();
  return relay;
};
