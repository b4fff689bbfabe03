/**
 * Stripe billing events → the company's billing state, found by the Stripe customer id. Events are
 * snapshots that arrive out of order, so an older one must never overwrite a newer state:
 * - with a Stripe API key, the subscription is re-fetched (the current truth) while the company row is
 *   locked, so concurrent events apply in the order of their fetches and the last one is the newest;
 * - without one, the event's own snapshot is applied only when the event is newer than the one applied
 *   (`created`, then the event id for events of the same second: the same final state in any order).
 * An unknown customer is recorded (processed with the error) and not retried.
 */
import { STRIPE_BILLING_EVENTS } from "@askproai/shared";
import { billingStatusOf, type BillingStatus } from "../billing/state.js";
import { StripeRefusal } from "../billing/stripe-api.js";
import { PermanentWebhookFailure, type StoredWebhookEvent, type WebhookEffect, type WebhookWork } from "./process.js";


type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" && !Array.isArray(v) ? (v as Obj) : {});
const idOf = (v: unknown): string | null => (typeof v === "string" ? v : typeof obj(v).id === "string" ? (obj(v).id as string) : null);
const seconds = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) && v > 0 && v < 1e11 ? v : null);

interface Snapshot {
  status: BillingStatus | null;
  periodEnd: number | null;
  subscriptionId: string | null;
}

/** What the event itself says (used without an API key). */
const snapshotOf = (type: string, object: Obj): Snapshot => {
  if (type.startsWith("customer.subscription.")) {
    const items = obj(object.items).data;
    const firstItem = Array.isArray(items) ? obj(items[0]) : {};
    const status = type === "customer.subscription.deleted" ? "canceled" : typeof object.status === "string" ? object.status : "";
    return { status: billingStatusOf(status), periodEnd: seconds(object.current_period_end) ?? seconds(firstItem.current_period_end), subscriptionId: idOf(object.id) };
  }
  const subscriptionId = idOf(object.subscription) ?? idOf(obj(obj(object.parent).subscription_details).subscription);
  if (type === "checkout.session.completed") return { status: subscriptionId ? "active" : null, periodEnd: null, subscriptionId };
  const lines = obj(object.lines).data;
  const periodEnd = Array.isArray(lines) ? seconds(obj(obj(lines[0]).period).end) : null;
  if (type === "invoice.paid") return { status: "active", periodEnd, subscriptionId };
  return { status: "past_due", periodEnd: null, subscriptionId };
};

export const processStripeEvent = async (work: WebhookWork, event: StoredWebhookEvent): Promise<WebhookEffect> => {
  if (!(STRIPE_BILLING_EVENTS as readonly string[]).includes(event.eventType)) return { companyId: null, detail: `${event.eventType}: not a billing event` };
  const payload = obj(event.payload);
  const object = obj(obj(payload.data).object);
  const customerId = idOf(object.customer);
  if (!customerId) throw new PermanentWebhookFailure("the event names no Stripe customer");
  const { rows } = await work.tx.query<{ id: string; subscriptionId: string | null; eventAt: Date | null; eventId: string | null }>({
    name: "askproai_billing_company_lock",
    text: `SELECT id, stripe_subscription_id AS "subscriptionId", billing_event_at AS "eventAt", billing_event_id AS "eventId"
           FROM companies WHERE stripe_customer_id = $1 FOR UPDATE`,
    values: [customerId],
  });
  const company = rows[0];
  if (!company) throw new PermanentWebhookFailure("unknown Stripe customer");
  const eventAt = new Date((seconds(payload.created) ?? Math.floor(event.receivedAt.getTime() / 1000)) * 1000);
  const fromEvent = snapshotOf(event.eventType, object);

  let snapshot: Snapshot;
  if (work.stripe) {
    const subscriptionId = fromEvent.subscriptionId ?? company.subscriptionId;
    if (!subscriptionId) return { companyId: company.id, detail: "no subscription to fetch" };
    try {
      const current = await work.stripe.retrieveSubscription(subscriptionId);
      if (current.customer !== customerId) throw new PermanentWebhookFailure("the subscription belongs to another customer", company.id);
      snapshot = { status: billingStatusOf(current.status), periodEnd: current.currentPeriodEnd, subscriptionId: current.id };
    } catch (error) {
      if (error instanceof StripeRefusal) throw new PermanentWebhookFailure(error.message, company.id);
      throw error;
    }
  } else {
    const applied = company.eventAt ? [company.eventAt.getTime(), company.eventId ?? ""] as const : null;
    if (applied && (applied[0] > eventAt.getTime() || (applied[0] === eventAt.getTime() && applied[1] > event.eventId))) {
      return { companyId: company.id, detail: "older than the applied state: ignored" };
    }
    snapshot = fromEvent;
  }
  if (!snapshot.status) throw new PermanentWebhookFailure("the event carries no subscription status we know", company.id);

  await work.tx.query({
    name: "askproai_billing_apply",
    text: `UPDATE companies SET billing_status = $2::billing_status,
                  billing_period_end = COALESCE(to_timestamp($3::double precision), billing_period_end),
                  stripe_subscription_id = COALESCE($4, stripe_subscription_id),
                  billing_event_at = GREATEST(billing_event_at, $5::timestamptz),
                  billing_event_id = CASE WHEN billing_event_at IS NULL OR $5::timestamptz >= billing_event_at THEN $6 ELSE billing_event_id END,
                  updated_at = now()
           WHERE id = $1::uuid`,
    values: [company.id, snapshot.status, snapshot.periodEnd, snapshot.subscriptionId, eventAt, event.eventId],
  });
  return { companyId: company.id, detail: `billing ${snapshot.status}` };
};
