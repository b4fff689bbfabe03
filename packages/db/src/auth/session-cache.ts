/**
 * A process's copy of the sessions it has checked, so that a request does not cost a database round trip
 * for its bearer token (every booking's first statement; during a burst of 200 racers for one slot, half
 * the statements the pool has to run).
 *
 * Never stale beyond a notification's delay: triggers on sessions, users and companies (revocation,
 * expiry, deactivation, role or name change, suspension; migration `session_cache_notify`) NOTIFY
 * `askproai_auth` at commit, and every process's cache empties itself on it. The cache answers only
 * while its LISTEN connection is up: a lost connection empties it and every request goes to the database
 * until it is back. An entry read before a notification is never stored after it (generation check),
 * and no entry outlives its session's expiry or `ttlMs`. The process that makes such a change also
 * empties its own copy at once (`invalidate`), without waiting for its notification.
 */
import { listenOn, type Listening } from "../listen.js";
import type { AuthenticatedSession } from "./sessions.js";

export const AUTH_CHANNEL = "askproai_auth";

interface Entry {
  session: AuthenticatedSession;
  validUntil: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  private listening: Listening | null = null;

  constructor(
    private readonly url: string,
    private readonly options: { ttlMs: number; max?: number; onError?: (message: string) => void },
  ) {}

  /** True while the LISTEN connection is up: only then are entries kept and answered. */
  get live() {
    return this.listening?.up ?? false;
  }

  /** Connects the LISTEN connection (in the background: until it is up, nothing is cached). */
  start() {
    if (this.options.ttlMs > 0 && !this.listening) {
      this.listening = listenOn(this.url, AUTH_CHANNEL, {
        onNotify: () => this.invalidate(),
        // Anything cached before (under a lost connection nothing was) starts over.
        onUp: () => this.invalidate(),
        onDown: (error, wasUp) => {
          if (!wasUp) return;
          this.invalidate();
          this.options.onError?.(error.message);
        },
      });
    }
    return this;
  }

  async stop() {
    const listening = this.listening;
    this.listening = null;
    this.invalidate();
    await listening?.stop();
  }

  /** Forgets every entry; a read that began before this is not stored after it. */
  invalidate() {
    this.generation++;
    this.entries.clear();
  }

  get(tokenHash: string, now: number): AuthenticatedSession | undefined {
    if (!this.live) return undefined;
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (now >= entry.validUntil) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.session;
  }

  /** The generation a database read starts under (pass it to `set`). */
  begin() {
    return this.generation;
  }

  set(tokenHash: string, session: AuthenticatedSession, sessionExpiresAt: number, generation: number, now: number) {
    if (!this.live || generation !== this.generation) return;
    if (this.entries.size >= (this.options.max ?? 10_000)) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(tokenHash, { session, validUntil: Math.min(now + this.options.ttlMs, sessionExpiresAt) });
  }
}
