/**
 * Signed webhooks as the senders deliver them. Two rows:
 * - `webhook ack`: Retell call_ended, Cal.com BOOKING_CREATED and Stripe invoice.paid in turn, each a new
 *   event, signed, at 50 concurrent senders, with no worker running (the acknowledgement is verify +
 *   one INSERT; the hand-over to Redis happens after the answer); beside the floor echoing the same body.
 * - `webhook ack→processed`: with the worker running (and the backlog above drained), Retell call_ended
 *   events at a steady rate (open loop, `processedPerSecond`); per event the time from its row's insert (`received_at`, the moment of the
 *   acknowledgement) to `processed_at`, both PostgreSQL's clock.
 */
import { poolOf, type Db } from "@askproai/db";
import { calcomBookingEvent, retellCallEvent, signedDelivery, stripeEvent, type WebhookSourceName } from "@askproai/stand-ins/webhooks";
import { BENCH_PHONE_NUMBER } from "../fixture.js";
import { BENCH_SECRETS, CONFIG, TARGETS, type Ctx } from "../harness/context.js";
import { sleep, step, warn, withApiCpu } from "../harness/process.js";
import { addRow, countBy, figures, round, targets } from "../harness/report.js";
import { Client, latencyStats, runLoad, type BenchRequest, type Sample } from "../load.js";

const SOURCES: WebhookSourceName[] = ["retell", "calcom", "stripe"];

const delivery = (i: number): BenchRequest => {
  const source = SOURCES[i % SOURCES.length]!;
  const body =
    source === "retell"
      ? retellCallEvent("call_ended", { toNumber: BENCH_PHONE_NUMBER })
      : source === "calcom"
        ? calcomBookingEvent("BOOKING_CREATED")
        : stripeEvent("invoice.paid", { customer: "cus_bench_unknown" });
  const signed = signedDelivery(source, body, BENCH_SECRETS);
  return { method: "POST", path: signed.path, headers: signed.headers, body: signed.body };
};

export const webhookAck = async (ctx: Ctx) => {
  const { warmup, count, maxMs, concurrency } = CONFIG.webhooks;
  const api = new Client(ctx.api, concurrency);
  const floor = new Client(ctx.floor, concurrency);
  try {
    step(`webhook ack: ${warmup} warm-up + up to ${count} signed deliveries (3 sources) / ${maxMs / 1000} s at ${concurrency} concurrent senders…`);
    await runLoad(api, { count: warmup, concurrency, make: delivery });
    const requests = Array.from({ length: count }, (_, i) => delivery(i));
    const result = await withApiCpu(() => runLoad(api, { count, concurrency, maxMs, make: (i) => requests[i]! }));
    const real = figures(result);
    const bad = result.samples.filter((s) => s.status !== 204).map((s) => `HTTP ${s.status}`);
    if (bad.length) warn(`webhook ack: ${bad.length} answers not 204 (${JSON.stringify(countBy(bad))})`);
    const echo = (i: number): BenchRequest => ({ method: "POST", path: "/floor/echo", body: requests[i % requests.length]!.body });
    await runLoad(floor, { count: warmup, concurrency, make: echo });
    const floorFigures = figures(await runLoad(floor, { count: real.requests, concurrency, make: echo }));
    const ratioP99 = floorFigures.p99 > 0 ? real.p99 / floorFigures.p99 : null;
    addRow("webhook ack (3 sources)", real, floorFigures, "/floor/echo", `${bad.length} not 204; p99 ${ratioP99 === null ? "–" : `${ratioP99.toFixed(1)}×`} floor`, {
      concurrency, ratioP99: ratioP99 === null ? null : round(ratioP99, 3),
    });
    targets.push({ name: `webhook ack p99 < ${TARGETS.webhookAckP99Ms} ms at ${concurrency} senders`, pass: real.p99 < TARGETS.webhookAckP99Ms, actual: `${real.p99.toFixed(1)} ms` });
    targets.push({
      name: `webhook ack p99 within ${TARGETS.webhookFloorRatio}× floor`,
      pass: ratioP99 !== null && ratioP99 <= TARGETS.webhookFloorRatio,
      actual: ratioP99 === null ? "no floor" : `${ratioP99.toFixed(1)}×`,
    });
  } finally {
    api.close();
    floor.close();
  }
};

export const webhookProcessed = async (ctx: Ctx, db: Db) => {
  const pool = poolOf(db);
  const scalar = async (text: string, values: unknown[] = []) => Number((await pool.query<{ n: string }>(text, values)).rows[0]?.n ?? 0);
  const unprocessed = () => scalar("SELECT count(*)::text AS n FROM webhook_events WHERE processed_at IS NULL");
  const backlog = await unprocessed();
  step(`webhook ack→processed: waiting for the worker to drain ${backlog} stored events…`);
  const drainStart = Date.now();
  while ((await unprocessed()) > 0 && Date.now() - drainStart < 180_000) await sleep(200);
  const drainSeconds = (Date.now() - drainStart) / 1000;

  const { processedCount, processedPerSecond } = CONFIG.webhooks;
  step(`webhook ack→processed: ${processedCount} Retell call_ended events paced at ${processedPerSecond}/s, each timed from its acknowledgement to processed…`);
  const api = new Client(ctx.api, 8);
  const bodies = Array.from({ length: processedCount }, () => retellCallEvent("call_ended", { toNumber: BENCH_PHONE_NUMBER }));
  const started = Date.now();
  const sent: Promise<Sample>[] = [];
  try {
    // Open loop at a steady rate (a sender does not wait for the previous event's processing).
    for (let i = 0; i < processedCount; i++) {
      await sleep(Math.max(0, started + (i * 1000) / processedPerSecond - Date.now()));
      const signed = signedDelivery("retell", bodies[i]!, BENCH_SECRETS);
      sent.push(api.send({ method: "POST", path: signed.path, headers: signed.headers, body: signed.body }));
    }
  } finally {
    await Promise.all(sent);
    api.close();
  }
  const result = { samples: await Promise.all(sent), elapsedMs: Date.now() - started };
  const eventIds = bodies.map((b) => `${b.call.call_id}:call_ended`);
  const timing = `SELECT extract(epoch FROM processed_at - received_at) * 1000 AS ms FROM webhook_events WHERE source = 'retell' AND event_id = ANY($1::text[]) AND processed_at IS NOT NULL`;
  const deadline = Date.now() + 60_000;
  while ((await pool.query(timing, [eventIds])).rowCount! < eventIds.length && Date.now() < deadline) await sleep(100);
  const rows = (await pool.query<{ ms: number }>(timing, [eventIds])).rows;
  if (rows.length < eventIds.length) warn(`webhook ack→processed: ${eventIds.length - rows.length} events not processed within 60 s`);
  const asSamples = (values: number[]): Sample[] => values.map((ms) => ({ ms, status: 200, bytes: 0 }));
  const processed = figures({ samples: asSamples(rows.map((r) => Number(r.ms))), elapsedMs: result.elapsedMs });
  const ack = latencyStats(result.samples);
  addRow("webhook ack→processed", processed, null, "–", `ack p50/p95/p99 ${ack.p50.toFixed(1)}/${ack.p95.toFixed(1)}/${ack.p99.toFixed(1)} ms; backlog ${backlog} drained in ${drainSeconds.toFixed(1)} s`, {
    perSecond: processedPerSecond, events: rows.length, backlog: { rows: backlog, seconds: round(drainSeconds, 2) },
  });
  targets.push({ name: `webhook ack→processed p95 < ${TARGETS.webhookProcessedP95Ms} ms`, pass: processed.p95 < TARGETS.webhookProcessedP95Ms, actual: `${processed.p95.toFixed(1)} ms` });
};
