/**
 * One circuit breaker per company's Cal.com connection (cockatiel), in the worker process. It opens after
 * `failureThreshold` consecutive outages (5xx, timeouts, no connection; a 4xx, 409 or 429 is an answer,
 * not an outage), fails calls fast while open (the job is retried later by BullMQ's backoff), and lets
 * one trial call through after `halfOpenAfterMs`. Every change of state is logged, counted in
 * `askproai_circuit_breakers{service="calcom"}` and written to `calendar_connections.breaker_state`, where
 * `calendar.status` (any API process) reads it.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from "cockatiel";
import { poolOf, type Db } from "../client.js";
import type { OperationLog } from "../context.js";
import { metrics } from "../ops/metrics.js";
import { CalcomRetryable } from "./client.js";

export type BreakerState = "closed" | "open" | "half_open";

export interface BreakerSettings {
  /** Consecutive outages that open the breaker (default 5). */
  failureThreshold?: number;
  /** How long it stays open before a trial call (default 30 s). */
  halfOpenAfterMs?: number;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: "closed",
  [CircuitState.Open]: "open",
  [CircuitState.HalfOpen]: "half_open",
  [CircuitState.Isolated]: "open",
};

export { BrokenCircuitError };

export class CalendarBreakers {
  private readonly policies = new Map<string, CircuitBreakerPolicy>();
  private readonly states = new Map<string, BreakerState>();

  constructor(
    private readonly db: Db,
    private readonly log: OperationLog,
    private readonly settings: BreakerSettings = {},
  ) {}

  /** The company's breaker (made on first use, closed). */
  for(companyId: string): CircuitBreakerPolicy {
    let policy = this.policies.get(companyId);
    if (policy) return policy;
    policy = circuitBreaker(
      handleWhen((error) => error instanceof CalcomRetryable && error.isOutage),
      { halfOpenAfter: this.settings.halfOpenAfterMs ?? 30_000, breaker: new ConsecutiveBreaker(this.settings.failureThreshold ?? 5) },
    );
    policy.onStateChange((state) => void this.changed(companyId, STATE_NAMES[state]));
    this.policies.set(companyId, policy);
    this.states.set(companyId, "closed");
    this.refreshGauge();
    return policy;
  }

  /** Runs one Cal.com request through the company's breaker. */
  run<T>(companyId: string, fn: () => Promise<T>): Promise<T> {
    return this.for(companyId).execute(fn);
  }

  stateOf(companyId: string): BreakerState {
    return this.states.get(companyId) ?? "closed";
  }

  private refreshGauge() {
    const counts: Record<BreakerState, number> = { closed: 0, open: 0, half_open: 0 };
    for (const state of this.states.values()) counts[state]++;
    for (const [state, n] of Object.entries(counts)) metrics.breakers.set({ service: "calcom", state }, n);
  }

  private async changed(companyId: string, state: BreakerState) {
    this.states.set(companyId, state);
    this.refreshGauge();
    const entry = { companyId, service: "calcom", breaker: state };
    if (state === "open") this.log.warn(entry, "Cal.com circuit breaker opened: calls fail fast, syncs retry later");
    else this.log.info(entry, `Cal.com circuit breaker ${state === "closed" ? "closed again" : "half open: one trial call"}`);
    await poolOf(this.db)
      .query({
        text: `INSERT INTO calendar_connections (company_id, breaker_state, breaker_changed_at, created_at, updated_at)
               VALUES ($1::uuid, $2, now(), now(), now())
               ON CONFLICT (company_id) DO UPDATE SET breaker_state = EXCLUDED.breaker_state, breaker_changed_at = now(), updated_at = now()`,
        values: [companyId, state],
      })
      .catch((error: unknown) => this.log.warn({ err: error, companyId }, "could not record the breaker state"));
  }
}
