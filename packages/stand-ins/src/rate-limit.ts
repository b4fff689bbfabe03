/** A sliding one-minute window per key, like Cal.com's per-API-key limit (120 requests a minute). */
export interface RateLimitSettings {
  perMinute: number;
  /** The window; a minute unless a test wants a shorter one. */
  windowMs?: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until a request will be allowed again (at least 1 when refused). */
  retryAfterSeconds: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private settings: RateLimitSettings | false,
    private readonly now: () => number = Date.now,
  ) {}

  configure(settings: RateLimitSettings | false): void {
    this.settings = settings;
    this.hits.clear();
  }

  current(): RateLimitSettings | false {
    return this.settings;
  }

  hit(key: string): RateDecision | undefined {
    if (!this.settings) return undefined;
    const { perMinute, windowMs = 60_000 } = this.settings;
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < windowMs);
    const allowed = recent.length < perMinute;
    if (allowed) recent.push(now);
    this.hits.set(key, recent);
    const oldest = recent[0] ?? now;
    return {
      allowed,
      limit: perMinute,
      remaining: Math.max(0, perMinute - recent.length),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
    };
  }
}
