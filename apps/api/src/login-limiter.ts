import { DomainError } from "@askproai/shared";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from "rate-limiter-flexible";

export interface LoginLimits {
  /** Failed attempts per email address per window. */
  perEmail: number;
  /** Failed attempts per client IP per window. */
  perIp: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perEmail: 5, perIp: 50, windowSeconds: 15 * 60 };

/**
 * Counts failed logins in Redis (shared by every API process); falls back to process memory while
 * Redis is down, so an outage neither opens the door nor locks everyone out.
 */
export const createLoginLimiter = (redis: Redis, keyPrefix: string, limits = DEFAULT_LOGIN_LIMITS) => {
  const make = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}login:${name}`,
      points,
      duration: limits.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
    });
  const byEmail = make("email", limits.perEmail);
  const byIp = make("ip", limits.perIp);

  const blocked = (res: RateLimiterRes | null, limit: number) => res !== null && res.consumedPoints >= limit;
  const retryAfter = (...all: (RateLimiterRes | null)[]) =>
    Math.max(1, Math.ceil(Math.max(...all.map((r) => r?.msBeforeNext ?? 0)) / 1000));

  return {
    /** Throws TOO_MANY_REQUESTS while either counter is exhausted. */
    async check(email: string, ip: string) {
      const [e, i] = await Promise.all([byEmail.get(email), byIp.get(ip)]);
      if (blocked(e, limits.perEmail) || blocked(i, limits.perIp)) {
        const seconds = retryAfter(e, i);
        throw new DomainError("TOO_MANY_REQUESTS", `too many failed login attempts; try again in ${seconds} s`, {
          retryAfterSeconds: seconds,
        });
      }
    },
    async recordFailure(email: string, ip: string) {
      // consume() rejects with a RateLimiterRes once the limit is passed; that is expected here.
      await Promise.allSettled([byEmail.consume(email), byIp.consume(ip)]);
    },
    async recordSuccess(email: string) {
      await byEmail.delete(email).catch(() => undefined);
    },
  };
};

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
