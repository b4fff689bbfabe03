/**
 * The one call billing makes to Stripe: `GET /v1/subscriptions/:id` (the current truth, fetched when
 * an event arrives, because events are snapshots that arrive out of order). `STRIPE_API_URL` points at
 * the local stand-in outside production. The key is sent as Bearer and never logged.
 */
import { metrics } from "../ops/metrics.js";

export interface StripeSubscriptionState {
  id: string;
  customer: string;
  status: string;
  /** Unix seconds (on the subscription in older API versions, on its items since 2025-03-31). */
  currentPeriodEnd: number | null;
}

export interface StripeApi {
  retrieveSubscription(id: string): Promise<StripeSubscriptionState>;
}

/** Stripe answered that the object does not exist (or refused the request for good): retrying cannot help. */
export class StripeRefusal extends Error {
  override readonly name = "StripeRefusal";
}

export interface StripeApiOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}

interface SubscriptionBody {
  id?: unknown;
  customer?: unknown;
  status?: unknown;
  current_period_end?: unknown;
  items?: { data?: { current_period_end?: unknown }[] };
  error?: { message?: unknown };
}

export const createStripeApi = ({ baseUrl, apiKey, timeoutMs = 5_000 }: StripeApiOptions): StripeApi => ({
  async retrieveSubscription(id) {
    const url = `${baseUrl.replace(/\/+$/, "")}/v1/subscriptions/${encodeURIComponent(id)}`;
    const started = performance.now();
    let outcome = "error";
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` }, signal: AbortSignal.timeout(timeoutMs) });
      const body = (await res.json().catch(() => ({}))) as SubscriptionBody;
      outcome = String(res.status);
      if (res.status === 404 || res.status === 400) throw new StripeRefusal(`Stripe answered ${res.status} for the subscription`);
      if (!res.ok) throw new Error(`Stripe answered ${res.status}`);
      const end = typeof body.current_period_end === "number" ? body.current_period_end : body.items?.data?.[0]?.current_period_end;
      const customer = typeof body.customer === "string" ? body.customer : (body.customer as { id?: unknown } | null)?.id;
      if (typeof body.id !== "string" || typeof customer !== "string" || typeof body.status !== "string") throw new Error("Stripe answered a subscription without id, customer or status");
      return { id: body.id, customer, status: body.status, currentPeriodEnd: typeof end === "number" ? end : null };
    } finally {
      metrics.outsideCalls.observe({ service: "stripe", outcome }, (performance.now() - started) / 1000);
    }
  },
});
