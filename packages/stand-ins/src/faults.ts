/**
 * Failure injection shared by the HTTP stand-ins. A fault applies to matching requests for a number of
 * requests (`count`), for a time (`durationMs`), or until it is cleared; several faults may be queued and
 * the oldest active one that matches wins, so a chaos script can stack "503 for 2 s, then slow".
 */
import { z } from "zod";

export const faultSchema = z.object({
  /**
   * - `status`: answer with this HTTP status (default 503) in the service's own error shape
   * - `rate-limit`: 429 with `Retry-After: <retryAfterSeconds>`
   * - `slow`: wait `delayMs` before handling the request normally
   * - `drop`: destroy the socket without any answer
   * - `store-then-timeout`: handle the request (so a create is stored), then never answer: the socket is
   *   destroyed after `delayMs` (default 0). The client sees a reset or its own timeout.
   */
  kind: z.enum(["status", "rate-limit", "slow", "drop", "store-then-timeout"]),
  status: z.number().int().min(400).max(599).optional(),
  message: z.string().max(500).optional(),
  retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  /** Applies to this many matching requests, then disappears. */
  count: z.number().int().positive().optional(),
  /** Applies for this long after it was added, then disappears. */
  durationMs: z.number().int().positive().optional(),
  /** Only requests with this method (e.g. `POST`). */
  method: z.string().optional(),
  /** Only requests whose path starts with this prefix (e.g. `/v2/bookings`). */
  path: z.string().optional(),
  /** Only requests whose path matches this regular expression (e.g. `/cancel$`). */
  pathPattern: z.string().optional(),
});

export type FaultSpec = z.infer<typeof faultSchema>;

export interface ActiveFault extends FaultSpec {
  id: number;
  addedAt: number;
  hits: number;
}

export class FaultPlan {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  constructor(private readonly now: () => number = Date.now) {}

  add(spec: FaultSpec): ActiveFault {
    const fault: ActiveFault = { ...faultSchema.parse(spec), id: this.nextId++, addedAt: this.now(), hits: 0 };
    if (fault.pathPattern) new RegExp(fault.pathPattern); // throws early on a bad pattern
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): ActiveFault[] {
    this.prune();
    return this.faults.map((f) => ({ ...f }));
  }

  /** The fault to apply to this request, counted as used; undefined when the request runs normally. */
  take(method: string, path: string): ActiveFault | undefined {
    this.prune();
    const fault = this.faults.find(
      (f) =>
        (!f.method || f.method.toUpperCase() === method.toUpperCase()) &&
        (!f.path || path.startsWith(f.path)) &&
        (!f.pathPattern || new RegExp(f.pathPattern).test(path)),
    );
    if (!fault) return undefined;
    fault.hits += 1;
    return { ...fault };
  }

  private prune(): void {
    const now = this.now();
    this.faults = this.faults.filter(
      (f) => (f.count === undefined || f.hits < f.count) && (f.durationMs === undefined || now - f.addedAt < f.durationMs),
    );
  }
}
