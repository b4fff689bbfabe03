/**
 * Availability cache in Redis that never shows a slot that was just booked.
 *
 * Every branch has a generation counter. A cached answer is stored under a key that contains the
 * generation read BEFORE its data was loaded from PostgreSQL. Every change that affects availability
 * bumps the generation AFTER its transaction commits (and before the caller gets an answer). So:
 * - a read after a booking sees the new generation and misses the old entries;
 * - a read that loaded its data before the booking committed but stores its answer after the bump
 *   stores it under the OLD generation, where no reader looks any more (the race the spec names).
 * Entries expire after 5 minutes; an outdated generation's entries simply age out.
 */
import type { Redis } from "ioredis";

export const AVAILABILITY_TTL_SECONDS = 300;

// One round trip: read the branch generation and the entry stored under it.
const READ_SCRIPT = `
local gen = redis.call('GET', KEYS[1]) or '0'
local value = redis.call('GET', ARGV[1] .. gen .. ':' .. ARGV[2])
return {gen, value}
`;

export interface CachedLookup {
  generation: string;
  value: string | null;
}

export class AvailabilityCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = AVAILABILITY_TTL_SECONDS,
  ) {}

  private generationKey(branchId: string) {
    return `${this.prefix}avail:gen:${branchId}`;
  }

  private entryPrefix(branchId: string) {
    return `${this.prefix}avail:${branchId}:`;
  }

  /**
   * Branches whose invalidation could not reach Redis. Until it does, this process neither reads nor
   * writes their entries, so a Redis blip cannot make it serve an answer older than a booking.
   */
  private readonly unpaid = new Set<string>();

  /** The current generation and the entry for `query` under it (null on a miss); null = bypass. */
  async lookup(branchId: string, query: string): Promise<CachedLookup | null> {
    if (this.unpaid.size > 0) await this.retryUnpaid();
    if (this.unpaid.has(branchId)) return null;
    const [generation, value] = (await this.redis.eval(READ_SCRIPT, 1, this.generationKey(branchId), this.entryPrefix(branchId), query)) as [
      string,
      string | null,
    ];
    return { generation, value };
  }

  /** Stores under the generation read before loading; never under a newer one. */
  async store(branchId: string, generation: string, query: string, value: string) {
    await this.redis.set(`${this.entryPrefix(branchId)}${generation}:${query}`, value, "EX", this.ttlSeconds);
  }

  /**
   * Called after a change to these branches committed. Never throws: the change is already durable;
   * a failed bump is remembered and retried (see `unpaid`). Returns false when Redis was not reached.
   */
  async invalidate(branchIds: Iterable<string>): Promise<boolean> {
    const unique = [...new Set(branchIds)];
    if (unique.length === 0) return true;
    try {
      const pipeline = this.redis.multi();
      for (const id of unique) pipeline.incr(this.generationKey(id));
      const results = await pipeline.exec();
      if (!results || results.some(([error]) => error)) throw new Error("generation bump failed");
      return true;
    } catch {
      for (const id of unique) this.unpaid.add(id);
      return false;
    }
  }

  private async retryUnpaid() {
    const ids = [...this.unpaid];
    this.unpaid.clear();
    await this.invalidate(ids);
  }
}
