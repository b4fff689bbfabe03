/**
 * Availability answers, cached under the branch's availability version (./versions.ts), which every
 * change raises inside its own transaction. Entries are never invalidated one by one: a newer version
 * simply stops anyone from reading the older entries, which expire after 5 minutes.
 *
 * Two levels: Redis (shared by every process) and a small in-process copy of recently served answers,
 * keyed by the same version, so a warm read costs the version lookup only. Redis failures only cost
 * speed: a read that cannot reach Redis computes the answer; nothing is ever served from a version
 * that is not the current one in PostgreSQL.
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

  constructor(
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly ttlSeconds = AVAILABILITY_TTL_SECONDS,
    private readonly maxLocalBytes = 64 * 1024 * 1024,
  ) {}

  private entryKey(branchId: string, version: string, query: string) {
    return `${this.prefix}avail:${branchId}:${version}:${query}`;
  }

  /** The entry stored under exactly this version; `decode` turns Redis' string into T once. */
  async get(branchId: string, version: string, query: string, decode: (raw: string) => T): Promise<T | null> {
    const key = this.entryKey(branchId, version, query);
    const local = this.local.get(key);
    if (local && local.expiresAt > Date.now()) return local.value;
    const raw = this.redis ? await this.redis.get(key).catch(() => null) : null;
    if (raw === null) return null;
    const value = decode(raw);
    this.remember(key, value, raw.length);
    return value;
  }

  /** Stores under the version read before loading; never under a newer one. Never throws. */
  async store(branchId: string, version: string, query: string, raw: string, value: T) {
    const key = this.entryKey(branchId, version, query);
    this.remember(key, value, raw.length);
    await this.redis?.set(key, raw, "EX", this.ttlSeconds).catch(() => undefined);
  }

  private readonly inFlight = new Map<string, Promise<T>>();

  /**
   * Concurrent identical questions under the same version share one computation (e.g. the 199 losers
   * of a contended slot asking for alternatives). A request that starts after a change reads the new
   * version and therefore never joins a computation that began before it.
   */
  shared(branchId: string, version: string, query: string, compute: () => Promise<T>): Promise<T> {
    const key = this.entryKey(branchId, version, query);
    let flight = this.inFlight.get(key);
    if (!flight) {
      flight = compute().finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, flight);
    }
    return flight;
  }

  /** Forgets the in-process copies (a test that wants to see Redis answer). */
  clearLocal() {
    this.local.clear();
    this.localBytes = 0;
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
}
