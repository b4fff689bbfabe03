import { DomainError } from "@askproai/shared";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from "rate-limiter-flexible";

export interface LoginLimits {
  /** Failed attempts on one account before it backs off. */
  freeFailures: number;
  /** The first back-off; doubles with every further failure, up to `maxBackoffSeconds`. */
  firstBackoffSeconds: number;
  maxBackoffSeconds: number;
  /** How long an account's failures are remembered. */
  failureMemorySeconds: number;
  /** Failed attempts per client address per window: a ceiling for spraying many accounts. */
  perIp: number;
  ipWindowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  freeFailures: 5,
  firstBackoffSeconds: 30,
  maxBackoffSeconds: 15 * 60,
  failureMemorySeconds: 60 * 60,
  perIp: 300,
  ipWindowSeconds: 15 * 60,
};

/**
 * Stops password guessing without locking out an office. Per account: a few free failures, then an
 * exponential back-off (30 s, 60 s, … 15 min) during which that account cannot log in; a success
 * resets it. Per client address: a high ceiling (300 failures in 15 min) so one mistyping colleague
 * or one bot behind a salon's shared address never blocks the others' correct passwords, while a
 * spray over many accounts from one address still stops. State in Redis (shared by every process),
 * falling back to process memory while Redis is down. Every refusal carries Retry-After.
 */
export const createLoginLimiter = (redis: Redis, keyPrefix: string, limits = DEFAULT_LOGIN_LIMITS) => {
  const accounts = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}login:account`,
    points: 1_000_000,
    duration: limits.failureMemorySeconds,
    insuranceLimiter: new RateLimiterMemory({ points: 1_000_000, duration: limits.failureMemorySeconds }),
  });
  const backoff = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}login:backoff`,
    points: 1,
    duration: limits.maxBackoffSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: 1, duration: limits.maxBackoffSeconds }),
  });
  const byIp = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${keyPrefix}login:ip`,
    points: limits.perIp,
    duration: limits.ipWindowSeconds,
    insuranceLimiter: new RateLimiterMemory({ points: limits.perIp, duration: limits.ipWindowSeconds }),
  });

  const refuse = (ms: number, why: string) => {
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    return new DomainError("TOO_MANY_REQUESTS", `${why}; try again in ${seconds} s`, { retryAfterSeconds: seconds });
  };
  const waiting = (res: RateLimiterRes | null) => (res && res.consumedPoints >= 1 ? res.msBeforeNext : 0);

  return {
    /** Throws TOO_MANY_REQUESTS while the account backs off or the address is over its ceiling. */
    async check(email: string, ip: string) {
      const [account, address] = await Promise.all([backoff.get(email), byIp.get(ip)]);
      const accountWait = waiting(account);
      if (accountWait > 0) throw refuse(accountWait, "too many failed login attempts for this account");
      if (address && address.consumedPoints >= limits.perIp) throw refuse(address.msBeforeNext, "too many failed login attempts from this address");
    },
    async recordFailure(email: string, ip: string) {
      const [failures] = await Promise.allSettled([accounts.penalty(email, 1), byIp.penalty(ip, 1)]);
      const count = failures.status === "fulfilled" ? failures.value.consumedPoints : 0;
      if (count >= limits.freeFailures) {
        const seconds = Math.min(limits.maxBackoffSeconds, limits.firstBackoffSeconds * 2 ** (count - limits.freeFailures));
        await backoff.block(email, seconds).catch(() => undefined);
      }
    },
    async recordSuccess(email: string) {
      await Promise.allSettled([accounts.delete(email), backoff.delete(email)]);
    },
  };
};

export type LoginLimiter = ReturnType<typeof createLoginLimiter>;
