/**
 * Availability cache that never shows a slot that was just booked.
 *
 * Every branch has a generation counter in Redis. A cached answer is stored under a key that contains
 * the generation read BEFORE its data was loaded from PostgreSQL. Every change that affects
 * availability bumps the generation AFTER its transaction commits (and before the caller gets an
 * answer). So:
 * - a read after a booking sees the new generation and misses the old entries;
 * - a read that loaded its data before the booking committed but stores its answer after the bump
 *   stores it under the OLD generation, where no reader looks any more (the race the spec names).
 * Entries expire after 5 minutes (the spec's TTL); an outdated generation's entries simply age out.
 *
 * Two levels: Redis (shared by every process) and a small in-process copy of recently served answers,
 * keyed by the same generation, so a warm read costs one tiny GET of the generation instead of moving
 * and parsing the whole answer.
 */
import type { Redis } from "ioredis";

export const AVAILABILITY_TTL_SECONDS = 300;

interface LocalEntry<T> {
  value: T;
  bytes: number;
  expiresAt: number;
}

export class AvailabilityCache<T = unknown> {
  private readonly local = new Map<string, LocalEntry<T>>();
  private localBytes = 0;
  /**
   * Branches whose invalidation could not reach Redis. Until it does, this process neither reads nor
   * writes their entries, so a Redis blip cannot make it serve an answer older than a booking.
   */
  private readonly unpaid = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = AVAILABILITY_TTL_SECONDS,
    private readonly maxLocalBytes = 64 * 1024 * 1024,
  ) {}

  private generationKey(branchId: string) {
    return `${this.prefix}avail:gen:${branchId}`;
  }

  private entryKey(branchId: string, generation: string, query: string) {
    return `${this.prefix}avail:${branchId}:${generation}:${query}`;
  }

  /** The branch's current generation, or null when the cache must be bypassed. */
  async generation(branchId: string): Promise<string | null> {
    if (this.unpaid.size > 0) await this.retryUnpaid();
    if (this.unpaid.has(branchId)) return null;
    return (await this.redis.get(this.generationKey(branchId))) ?? "0";
  }

  /** The entry stored under exactly this generation; `decode` turns Redis' string into T once. */
  async get(branchId: string, generation: string, query: string, decode: (raw: string) => T): Promise<T | null> {
    const key = this.entryKey(branchId, generation, query);
    const local = this.local.get(key);
    if (local && local.expiresAt > Date.now()) return local.value;
    const raw = await this.redis.get(key);
    if (raw === null) return null;
    const value = decode(raw);
    this.remember(key, value, raw.length);
    return value;
  }

  /** Stores under the generation read before loading; never under a newer one. */
  async store(branchId: string, generation: string, query: string, raw: string, value: T) {
    const key = this.entryKey(branchId, generation, query);
    this.remember(key, value, raw.length);
    await this.redis.set(key, raw, "EX", this.ttlSeconds);
  }

  private remember(key: string, value: T, bytes: number) {
    const old = this.local.get(key);
    if (old) this.localBytes -= old.bytes;
    this.local.delete(key);
    this.local.set(key, { value, bytes, expiresAt: Date.now() + this.ttlSeconds * 1000 });
    this.localBytes += bytes;
    // Oldest stored first (a Map keeps insertion order).
    for (const [k, entry] of this.local) {
      if (this.localBytes <= this.maxLocalBytes) break;
      this.local.delete(k);
      this.localBytes -= entry.bytes;
    }
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
