/**
 * One scratch database, a Redis-backed availability cache under a prefix of its own, and the domain
 * deps built from them, for a test file that calls domain operations directly.
 */
import type { AvailabilityQuery } from "@askproai/shared";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { createAvailabilityCache, getAvailability, type AnswerCache } from "../availability/answer.js";
import { bumpAvailability } from "../availability/versions.js";
import { poolOf } from "../client.js";
import { createDomainDeps, type DomainDeps, type OperationContext } from "../context.js";
import type { FixtureCompany } from "./fixtures.js";
import { clearRedisPrefix, createScratchDatabase, scratchRedisPrefix, type ScratchDatabase } from "./index.js";
import { testContext } from "./operations.js";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

export const useTestbed = () => {
  const redisPrefix = scratchRedisPrefix();
  const bed = {} as { scratch: ScratchDatabase; redis: Redis; cache: AnswerCache; deps: DomainDeps; redisPrefix: string };
  beforeAll(async () => {
    bed.scratch = await createScratchDatabase();
    bed.redis = new Redis(REDIS_URL);
    bed.redisPrefix = redisPrefix;
    bed.cache = createAvailabilityCache(bed.redis, redisPrefix);
    bed.deps = createDomainDeps(bed.scratch.db, bed.cache);
  });
  afterAll(async () => {
    bed.redis?.disconnect();
    await clearRedisPrefix(redisPrefix);
    await bed.scratch?.drop();
  });
  return {
    bed,
    ctx: (f: Pick<FixtureCompany, "companyId">, correlationId?: string): OperationContext => testContext(bed.deps, f, correlationId),
    slots: (f: FixtureCompany, q: { from: string; days?: number; serviceId?: string; staffId?: string } & Partial<AvailabilityQuery>) =>
      getAvailability(testContext(bed.deps, f), {
        branchId: q.branchId ?? f.branchId,
        serviceId: q.serviceId ?? f.serviceIds.short,
        staffId: q.staffId,
        from: q.from,
        days: q.days ?? 1,
      }),
    /** Rows written straight into the database (not through an operation) must raise the version themselves. */
    changedBehindTheCache: (f: FixtureCompany) => bumpAvailability(poolOf(bed.scratch.db), f.companyId, [f.branchId]),
  };
};
