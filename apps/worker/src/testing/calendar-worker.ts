/**
 * A worker process for the calendar tests that kill it: started with `node --import tsx`, configured by
 * one JSON environment variable, prints "ready" once its queues are up. No relay (the test adds the jobs).
 */
import { closeDb, createDb } from "@askproai/db";
import { createLogger } from "@askproai/shared/server";
import { startWorker } from "../worker.js";

const options = JSON.parse(process.env.ASKPROAI_TEST_WORKER ?? "{}") as {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  calcomUrl: string;
  secretsKey: string;
  timeoutMs: number;
  inFlightGraceMs: number;
  lockDurationMs: number;
};
const db = createDb({ url: options.databaseUrl, poolSize: 4 });
const running = await startWorker({
  db,
  logger: createLogger({ level: "silent", service: "test-worker" }),
  redisUrl: options.redisUrl,
  queuePrefix: options.queuePrefix,
  messaging: { transports: { sms: null, mail: null }, sweepEveryMs: 600_000, reminderScanEveryMs: 600_000, waitlistEveryMs: 600_000 },
  calendar: {
    apiUrl: options.calcomUrl, secretsKey: options.secretsKey, timeoutMs: options.timeoutMs, inFlightGraceMs: options.inFlightGraceMs,
    retryBaseMs: 200, retryMaxMs: 1_000, reconcileEveryMs: 0,
  },
  lockDurationMs: options.lockDurationMs,
  stalledIntervalMs: 500,
  relay: false,
});
console.log("ready");
process.on("SIGTERM", () => {
  void running.close().then(() => closeDb(db)).then(() => process.exit(0));
});
