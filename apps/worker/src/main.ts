import { closeDb, createDb } from "@askproai/db";
import { createStripeApi } from "@askproai/db/billing";
import { createMessagingTransports } from "@askproai/db/messaging";
import { createLogger, loadConfig } from "@askproai/shared/server";
import { Redis } from "ioredis";
import { startWorkerHttp } from "./http.js";
import { startWorker } from "./worker.js";

const config = loadConfig();
const logger = createLogger({ level: config.LOG_LEVEL, service: "worker" });
const db = createDb({ url: config.DATABASE_URL, poolSize: Math.min(config.DATABASE_POOL_SIZE, 10) });

// Outside production an unset gateway means "none": its messages are recorded as skipped (npm start
// starts local stand-ins and sets both).
const transports = createMessagingTransports({
  sms: config.SMS_API_URL
    ? { baseUrl: config.SMS_API_URL, accountSid: config.SMS_ACCOUNT_SID, authToken: config.SMS_AUTH_TOKEN, from: config.SMS_FROM }
    : null,
  mail: config.SMTP_URL ? { url: config.SMTP_URL, from: config.SMTP_FROM } : null,
});
if (!config.SMS_API_URL || !config.SMTP_URL) {
  logger.warn({ sms: Boolean(config.SMS_API_URL), email: Boolean(config.SMTP_URL) }, "customer messages: a gateway is not configured; its messages are skipped");
}
// With a Stripe key, billing re-fetches each event's subscription; without one it orders events by `created`.
const stripe = config.STRIPE_API_KEY ? createStripeApi({ baseUrl: config.STRIPE_API_URL, apiKey: config.STRIPE_API_KEY }) : null;
const running = await startWorker({
  db,
  logger,
  redisUrl: config.REDIS_URL,
  queuePrefix: `${config.REDIS_PREFIX}bull`,
  messaging: { transports },
  outboxRetentionMs: config.OUTBOX_RETENTION_DAYS * 86_400_000,
  // Outside production `npm start` points CALCOM_API_URL at the Cal.com stand-in.
  calendar: { apiUrl: config.CALCOM_API_URL, secretsKey: config.SECRETS_KEY },
  webhooks: { stripe, retentionDays: config.WEBHOOK_RETENTION_DAYS },
});
const probeRedis = new Redis(config.REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
probeRedis.on("error", () => undefined);
const http =
  config.WORKER_HTTP_PORT > 0
    ? await startWorkerHttp({
        db,
        redis: probeRedis,
        queues: () => Object.values(running.queues),
        host: config.WORKER_HTTP_HOST,
        port: config.WORKER_HTTP_PORT,
        metricsToken: config.METRICS_TOKEN,
      }).catch((error: unknown) => {
        logger.warn({ err: { message: (error as Error).message } }, "worker HTTP server (/metrics, /readyz) not started");
        return null;
      })
    : null;
logger.info({ http: http?.url ?? null }, "worker started");

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  const force = setTimeout(() => {
    logger.warn("forced exit after 15 s");
    process.exit(1);
  }, 15_000);
  force.unref();
  // Workers first (in-flight jobs finish), Prisma last.
  await running.close();
  transports.close();
  await http?.close();
  probeRedis.disconnect();
  await closeDb(db);
  process.exit(0);
};
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
