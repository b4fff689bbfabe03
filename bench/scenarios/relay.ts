/**
 * The outbox relay, with the worker running as a child process: first the backlog the scenarios above left
 * (their bookings' notification rows, written while no worker ran) is drained; then bookings arrive at a
 * steady pace and each one's `notification.send` row is timed from the booking transaction (the row's
 * `created_at`, i.e. a few ms before its commit) to the start of its job (`job_attempts.started_at`) and
 * to its dispatch (`dispatched_at`). Both instants are PostgreSQL's clock, so nothing is compared across
 * clocks. No floor: nothing in Express compares.
 */
import { poolOf, type Db } from "@askproai/db";
import { auth, CONFIG, TARGETS, createBody, distinctSlot, type Ctx } from "../harness/context.js";
import { sleep, step, warn } from "../harness/process.js";
import { addRow, figures, round, targets } from "../harness/report.js";
import { latencyStats, Client, runLoad, type Sample } from "../load.js";

/** Waits for `check`; false (and a warning) after `timeoutMs`. */
const untilTrue = async (what: string, timeoutMs: number, check: () => Promise<boolean>) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      warn(`outbox relay: ${what} not reached within ${timeoutMs / 1000} s`);
      return false;
    }
    await sleep(100);
  }
  return true;
};

/** Runs the scenario; answers the number of appointments it booked (for the SQL check). */
export const relay = async (ctx: Ctx, db: Db, startWorker: () => Promise<unknown>) => {
  const pool = poolOf(db);
  const scalar = async (text: string, values: unknown[] = []) => Number((await pool.query<{ n: string }>(text, values)).rows[0]?.n ?? 0);
  const pending = () => scalar("SELECT count(*)::text AS n FROM outbox_events WHERE dispatched_at IS NULL AND topic = 'notification.send'");
  const idle = async () => (await pending()) === 0 && (await scalar("SELECT count(*)::text AS n FROM job_attempts WHERE finished_at IS NULL")) === 0;

  const backlog = await pending();
  step(`outbox relay: starting the worker (backlog: ${backlog} notification rows from the scenarios above)…`);
  await startWorker();
  const drainStart = Date.now();
  const drained = await untilTrue("backlog drained", 180_000, idle);
  const drainSeconds = (Date.now() - drainStart) / 1000;

  const { count, concurrency, maxMs } = CONFIG.relay;
  step(`outbox relay: up to ${count} bookings / ${maxMs / 1000} s at concurrency ${concurrency}, each timed from its transaction to its job's start…`);
  const api = new Client(ctx.api, concurrency);
  let result;
  try {
    result = await runLoad(api, {
      count, concurrency, maxMs, keepBody: true,
      make: (i) => {
        const { staffId, start } = distinctSlot(ctx, i, CONFIG.offsets.relay);
        return { method: "POST", path: "/trpc/appointments.create", headers: auth(ctx), body: createBody(ctx, staffId, start, `relay ${i}`) };
      },
    });
  } finally {
    api.close();
  }
  const ids = result.samples.filter((s) => s.status === 200).map((s) => (JSON.parse(s.body ?? "{}") as { result: { data: { id: string } } }).result.data.id);
  if (ids.length < result.samples.length) warn(`outbox relay: ${result.samples.length - ids.length} bookings not answered 200`);

  const timing = `
    SELECT extract(epoch FROM o.dispatched_at - o.created_at) * 1000 AS "dispatchMs",
           extract(epoch FROM j.started_at - o.created_at) * 1000 AS "startMs"
    FROM outbox_events o JOIN job_attempts j ON j.job_id = 'outbox-' || o.id::text AND j.attempt = 1
    WHERE o.topic = 'notification.send' AND o.aggregate_id = ANY($1::text[])`;
  await untilTrue("every booking's job started", 60_000, async () => (await pool.query(timing, [ids])).rowCount === ids.length);
  const rows = (await pool.query<{ dispatchMs: number; startMs: number }>(timing, [ids])).rows;
  const asSamples = (values: number[]): Sample[] => values.map((ms) => ({ ms, status: 200, bytes: 0 }));
  const started = figures({ samples: asSamples(rows.map((r) => Number(r.startMs))), elapsedMs: result.elapsedMs });
  const dispatched = latencyStats(asSamples(rows.map((r) => Number(r.dispatchMs))));
  addRow(
    "outbox relay: commit→job start",
    started,
    null,
    "–",
    `dispatch p50/p95/p99 ${dispatched.p50.toFixed(1)}/${dispatched.p95.toFixed(1)}/${dispatched.p99.toFixed(1)} ms; backlog ${backlog} rows ${drained ? "drained" : "NOT drained"} in ${drainSeconds.toFixed(1)} s`,
    {
      concurrency, bookings: ids.length,
      dispatchMs: { p50: round(dispatched.p50, 2), p95: round(dispatched.p95, 2), p99: round(dispatched.p99, 2), max: round(dispatched.max, 2) },
      backlog: { rows: backlog, seconds: round(drainSeconds, 2), drained },
    },
  );
  targets.push({ name: `outbox relay: commit→job start p99 < ${TARGETS.relayP99Ms} ms`, pass: started.p99 < TARGETS.relayP99Ms, actual: `${started.p99.toFixed(1)} ms` });
  return ids.length;
};
