/**
 * Per-process copies of rows that change rarely but are read on every booking (a branch's zone, a
 * service's duration). Owned by the process's `DomainDeps`, never module-global, so tests and
 * processes do not share them. Entries expire after `ttlMs` so a change made by ANOTHER process is
 * seen within that time; the process that makes a change invalidates at once (company set-up).
 * Neither copy decides a booking: the transaction re-reads the service and the branch.
 */
export interface BranchZone {
  timezone: string;
  isActive: boolean;
}

/** What a company's answers and inputs are read in: its zone (company-wide rows) and phone country. */
export interface CompanyProfile {
  timezone: string;
  country: string;
}

/** What a start that cannot be booked is answered with: a DomainError's parts (each asker gets its own error). */
export interface UnavailableAnswer {
  code: "CONFLICT" | "BAD_REQUEST";
  message: string;
  details: Record<string, unknown>;
}

export interface ServiceShape {
  durationMs: number;
  bufferBeforeMs: number;
  bufferAfterMs: number;
  isActive: boolean;
}

class ExpiringMap<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(key: string, now: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, now: number) {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { value, at: now });
  }

  delete(key: string) {
    this.entries.delete(key);
  }
}

/**
 * Computations many concurrent requests ask at once (the 199 losers of one contended slot all ask
 * "why not, and what else?"). A caller joins a running computation only when it started after the
 * caller's own request began (`notBefore`, performance.now()), so the shared answer reads data no older
 * than a computation of its own would have: nothing committed before the request is missed.
 */
export class InFlight<V> {
  private readonly running = new Map<string, { startedAt: number; promise: Promise<V> }>();

  join(key: string, notBefore: number, compute: () => Promise<V>): Promise<V> {
    const current = this.running.get(key);
    if (current && current.startedAt >= notBefore) return current.promise;
    const entry = { startedAt: performance.now(), promise: undefined as unknown as Promise<V> };
    entry.promise = compute().finally(() => {
      if (this.running.get(key) === entry) this.running.delete(key);
    });
    this.running.set(key, entry);
    return entry.promise;
  }

  get size() {
    return this.running.size;
  }
}

export const PROCESS_CACHE_TTL_MS = 30_000;

export class ProcessCaches {
  readonly branchZones: ExpiringMap<BranchZone>;
  readonly serviceShapes: ExpiringMap<ServiceShape>;
  readonly companyProfiles: ExpiringMap<CompanyProfile>;
  /** Answers for a start that cannot be booked (booking/conflicts.ts), shared by concurrent askers. */
  readonly unavailableStarts = new InFlight<UnavailableAnswer>();

  constructor(ttlMs = PROCESS_CACHE_TTL_MS) {
    this.branchZones = new ExpiringMap(ttlMs);
    this.serviceShapes = new ExpiringMap(ttlMs);
    this.companyProfiles = new ExpiringMap(ttlMs);
  }

  invalidateCompany(companyId: string) {
    this.companyProfiles.delete(companyId);
  }

  /** Called by the operations that change a branch or a service (company set-up). */
  invalidateBranch(companyId: string, branchId: string) {
    this.branchZones.delete(`${companyId}:${branchId}`);
  }

  invalidateService(companyId: string, serviceId: string) {
    this.serviceShapes.delete(`${companyId}:${serviceId}`);
  }
}
