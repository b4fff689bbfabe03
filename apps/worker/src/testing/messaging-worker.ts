/**
 * A worker process for tests that kill it: started with `node --import tsx`, configured by one JSON
 * environment variable (test knobs such as short stalled-job detection are not configuration), prints
 * "ready" once its queues are up. Runs the outbox relay only when `relay` is given; with
 * `relay.hangAfterEnqueue` its first pass prints "enqueued <outbox ids>" once the jobs are in Redis and then
 * never marks the rows (the test kills the process there: a relay dying between enqueue and mark).
 */
import { closeDb, createDb } from "@askproai/db";
import { createStripeApi } from "@askproai/db/billing";
import { createMessagingTransports } from "@askproai/db/messaging";
import { createLogger } from "@askproai/shared/server";
import { startWorker } from "../worker.js";

const options = JSON.parse(process.env.ASKPROAI_TEST_WORKER ?? "{}") as {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  sms: { baseUrl: string; accountSid: string; authToken: string; from: string; timeoutMs: number };
  lockDurationMs: number;
  inFlightGraceMs: number;
  relay?: { pollMs: number; hangAfterEnqueue?: boolean };
  /** The Stripe API (stand-in) that webhook processing re-fetches subscriptions from. */
  stripeUrl?: string;
};
const db = createDb({ url: options.databaseUrl, poolSize: 4 });
const transports = createMessagingTransports({ sms: options.sms, mail: null });
const hang = (ids: string[]) => {
  console.log(`enqueued ${ids.join(",")}`);
  return new Promise<void>(() => undefined);
};
const relay = options.relay ? { pollMs: options.relay.pollMs, ...(options.relay.hangAfterEnqueue ? { afterEnqueue: hang } : {}) } : false;
const running = await startWorker({
  db,
  logger: createLogger({ level: "silent", service: "test-worker" }),
  redisUrl: options.redisUrl,
  queuePrefix: options.queuePrefix,
  messaging: { transports, inFlightGraceMs: options.inFlightGraceMs, retryBaseMs: 200, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000 },
  lockDurationMs: options.lockDurationMs,
  // Short: the stalled-check throttle this worker leaves in Redis also delays its successor's first check.
  stalledIntervalMs: 500,
  relay,
  webhooks: { stripe: options.stripeUrl ? createStripeApi({ baseUrl: options.stripeUrl, apiKey: "sk_test_worker" }) : null, retryBaseMs: 200 },
});
console.log("ready");
process.on("SIGTERM", () => {
  void running.close().then(() => closeDb(db)).then(() => process.exit(0));
});
