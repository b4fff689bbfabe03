import { closeDb, createDb, createDomainDeps, type Db, type DomainDeps } from "@askproai/db";
import { SessionCache } from "@askproai/db/auth";
import { createAvailabilityCache } from "@askproai/db/availability";
import { ChangeHub } from "@askproai/db/live";
import { createLogger, type AppConfig } from "@askproai/shared/server";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { createRequestBudgets, type RequestBudgets } from "./budgets.js";
import { createLoginLimiter, type LoginLimiter } from "./login-limiter.js";
import { createMessageDispatch, type MessageDispatch } from "./message-dispatch.js";
import { createWebhookDispatch, type WebhookDispatch } from "./webhook-dispatch.js";

/** Everything a request handler may use; built once in main.ts (or by a test) and passed down. */
export interface ApiDeps {
  config: AppConfig;
  /** The unscoped client: only for system-level lookups (login, tokens, webhook intake, readiness). */
  db: Db;
  /** Sessions this process has checked (emptied by every change through PostgreSQL NOTIFY). */
  sessions: SessionCache;
  /** Fails fast when Redis is down (no offline queue), so requests never hang on it. */
  redis: Redis;
  logger: Logger;
  loginLimiter: LoginLimiter;
  /** Per-session and per-company request budgets (one tenant's flood cannot starve another). */
  budgets: RequestBudgets;
  /** What domain operations are built from (`contextFor`): client, availability cache, per-process caches. */
  domain: DomainDeps;
  /** Live appointment changes for `events.onChange` (started on the first subscription). */
  changes: ChangeHub;
  /** Queues deliveries of messages planned in a request (the worker sends them). */
  messages: MessageDispatch;
  /** Hands stored webhook events to the worker (best effort: the worker's sweep catches what is missed). */
  webhooks: WebhookDispatch;
}

export const createRedis = (url: string) =>
  new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Keep trying in the background; /readyz turns green again once Redis is back.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
    // Commands issued in one event-loop turn (budgets, cache reads of concurrent requests) leave in one
    // write: on loopback every write is a costly system call for both sides.
    enableAutoPipelining: true,
  });

export const createApiDeps = (config: AppConfig, options: { logger?: Logger } = {}): ApiDeps => {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL, service: "api" });
  const redis = createRedis(config.REDIS_URL);
  redis.on("error", (error) => logger.warn({ err: { message: error.message } }, "redis connection error"));
  const db = createDb({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const sessions = new SessionCache(config.DATABASE_URL, {
    ttlMs: config.SESSION_CACHE_TTL_MS,
    onError: (message) => logger.warn({ err: { message } }, "session cache: LISTEN connection lost; sessions are read from the database until it is back"),
  }).start();
  return {
    config,
    db,
    sessions,
    redis,
    logger,
    loginLimiter: createLoginLimiter(redis, config.REDIS_PREFIX),
    budgets: createRequestBudgets(redis, config.REDIS_PREFIX, {
      perSession: config.BUDGET_SESSION_PER_SECOND * 2,
      perCompany: config.BUDGET_COMPANY_PER_SECOND * 2,
      windowSeconds: 2,
    }),
    domain: createDomainDeps(db, createAvailabilityCache(redis, config.REDIS_PREFIX)),
    changes: new ChangeHub(db, (error) => logger.warn({ err: error }, "live changes: could not deliver")),
    messages: createMessageDispatch(redis, config.REDIS_PREFIX, logger),
    webhooks: createWebhookDispatch(redis, config.REDIS_PREFIX, logger),
  };
};

export const closeApiDeps = async (deps: ApiDeps) => {
  await deps.sessions.stop();
  await deps.changes.stop();
  await deps.messages.close();
  await deps.webhooks.close();
  deps.redis.disconnect();
  await closeDb(deps.db);
};
