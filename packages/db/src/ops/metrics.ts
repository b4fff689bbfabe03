/**
 * The Prometheus series every process exposes (prom-client's default registry). Labels are bounded:
 * route and procedure names, sources, outcomes, queue names; never ids, phone numbers or companies.
 * Histogram buckets fit our latencies, from 1 ms to 5 s.
 */
import client from "prom-client";

export const registry = client.register;

export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

let defaultsCollected = false;
/** Process metrics (CPU, memory, event-loop lag, GC) under the `askproai_` prefix, once per process. */
export const collectProcessMetrics = (service: string) => {
  if (defaultsCollected) return;
  defaultsCollected = true;
  registry.setDefaultLabels({ service });
  client.collectDefaultMetrics({ prefix: "askproai_" });
};

const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  (registry.getSingleMetric(name) as client.Counter<L> | undefined) ?? new client.Counter({ name, help, labelNames });
const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  (registry.getSingleMetric(name) as client.Gauge<L> | undefined) ?? new client.Gauge({ name, help, labelNames });
const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  (registry.getSingleMetric(name) as client.Histogram<L> | undefined) ?? new client.Histogram({ name, help, labelNames, buckets: LATENCY_BUCKETS });

export const metrics = {
  /** Every HTTP answer: `route` is a tRPC procedure name or a fixed route path. */
  httpDuration: histogram("askproai_http_request_duration_seconds", "HTTP request duration by route or procedure", ["route", "method", "status"] as const),
  /** createAppointment outcomes: created, replayed, conflict, rejected (bad request / not found), failed, unavailable. */
  bookings: counter("askproai_bookings_total", "Booking attempts by outcome and source", ["outcome", "source"] as const),
  /** Webhook deliveries: accepted, duplicate, rejected (signature), invalid (body), processed, failed. */
  webhookEvents: counter("askproai_webhook_events_total", "Webhook deliveries and processing by source and outcome", ["source", "outcome"] as const),
  /** Jobs per queue and state (waiting, active, delayed, failed), read on scrape. */
  queueJobs: gauge("askproai_queue_jobs", "Jobs per queue and state", ["queue", "state"] as const),
  /** Circuit breakers per outside service by state (closed, half_open, open): how many connections are in each. */
  breakers: gauge("askproai_circuit_breakers", "Circuit breakers per outside service and state", ["service", "state"] as const),
  /** Age of the oldest outbox row not yet handed to the queue, and how many wait. */
  outboxLag: gauge("askproai_outbox_lag_seconds", "Age of the oldest undispatched outbox row", [] as const),
  outboxPending: gauge("askproai_outbox_pending", "Outbox rows not yet dispatched", [] as const),
  /** Outbox rows the relay handed to a queue, by topic; relay passes that failed, by stage (enqueue, database). */
  outboxRelayed: counter("askproai_outbox_relayed_total", "Outbox rows dispatched to a queue by topic", ["topic"] as const),
  outboxRelayFailures: counter("askproai_outbox_relay_failures_total", "Failed outbox relay passes by stage", ["stage"] as const),
  /** Calls to outside services (Cal.com, SMS, e-mail, Stripe) by service and outcome, with their duration. */
  outsideCalls: histogram("askproai_outside_call_duration_seconds", "Calls to outside services by service and outcome", ["service", "outcome"] as const),
};

/** Counts one booking attempt by how it ended; the error is rethrown unchanged. */
export const countBooking = async <T>(source: string, attempt: Promise<T & { replayed?: boolean }>): Promise<T> => {
  try {
    const result = await attempt;
    metrics.bookings.inc({ outcome: result.replayed ? "replayed" : "created", source });
    return result;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const outcome =
      code === "CONFLICT" ? "conflict" : code === "SERVICE_UNAVAILABLE" ? "unavailable" : code === "INTERNAL" || typeof code !== "string" ? "failed" : "rejected";
    metrics.bookings.inc({ outcome, source });
    throw error;
  }
};
