import { closeDb, createAvailabilityCache, createDb, type AnswerCache, type Db } from "@askproai/db";
import type { AppConfig } from "@askproai/shared";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { createLoginLimiter, type LoginLimiter } from "./login-limiter.js";
import { createLogger } from "@askproai/shared";

/** Everything a request handler may use; built once in main.ts (or by a test) and passed down. */
export interface ApiDeps {
  config: AppConfig;
  db: Db;
  /** Fails fast when Redis is down (no offline queue), so requests never hang on it. */
  redis: Redis;
  logger: Logger;
  loginLimiter: LoginLimiter;
  availabilityCache: AnswerCache;
}

export const createRedis = (url: string) =>
  new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    // Keep trying in the background; /readyz turns green again once Redis is back.
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });

export const createApiDeps = (config: AppConfig): ApiDeps => {
  const logger = createLogger({ level: config.LOG_LEVEL, service: "api" });
  const redis = createRedis(config.REDIS_URL);
  redis.on("error", (error) => logger.warn({ err: { message: error.message } }, "redis connection error"));
  return {
    config,
    db: createDb({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }),
    redis,
    logger,
    loginLimiter: createLoginLimiter(redis, config.REDIS_PREFIX),
    availabilityCache: createAvailabilityCache(redis, config.REDIS_PREFIX),
  };
};

export const closeApiDeps = async (deps: ApiDeps) => {
  deps.redis.disconnect();
  await closeDb(deps.db);
};
