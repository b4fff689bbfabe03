import { createHash } from "node:crypto";
import { DomainError } from "@askproai/shared";
import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";

export interface RequestBudgetLimits {
  /** Procedure calls (each call of a batch counts) per session per window. */
  perSession: number;
  /** Procedure calls per company (all its sessions) per window. */
  perCompany: number;
  windowSeconds: number;
}

/**
 * Request budgets so that one tenant's flood cannot slow another: every authenticated procedure call
 * spends from its session's and its company's budget in Redis (shared by every API process; process
 * memory while Redis is down). The session budget is checked before the session is even looked up, so
 * a flood costs Redis round trips, not database queries. Over budget → TOO_MANY_REQUESTS with Retry-After.
 */
export const createRequestBudgets = (redis: Redis, keyPrefix: string, limits: RequestBudgetLimits) => {
  const make = (name: string, points: number) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}budget:${name}`,
      points,
      duration: limits.windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ points, duration: limits.windowSeconds }),
    });
  const sessions = make("session", limits.perSession);
  const companies = make("company", limits.perCompany);

  const spend = async (limiter: RateLimiterRedis, key: string, who: string, calls = 1) => {
    try {
      await limiter.consume(key, calls);
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) return; // Redis trouble the insurance limiter could not absorb: do not refuse service for it
      const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new DomainError("TOO_MANY_REQUESTS", `too many requests for this ${who}; try again in ${seconds} s`, { retryAfterSeconds: seconds });
    }
  };

  return {
    /** Spends `calls` (a batch's size) from the session behind this bearer token. */
    session: (token: string, calls = 1) => spend(sessions, createHash("sha256").update(token).digest("base64url").slice(0, 32), "session", calls),
    company: (companyId: string) => spend(companies, companyId, "company"),
  };
};

export type RequestBudgets = ReturnType<typeof createRequestBudgets>;
