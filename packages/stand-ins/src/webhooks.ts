/**
 * Sample webhook deliveries as Retell, Cal.com and Stripe send them (envelope, field names, signature
 * header), for tests, `npm run webhook` and the bench. Each builder answers the parsed body; `signed`
 * turns a body into the exact request the sender would make.
 */
import { randomBytes } from "node:crypto";
import type { StripeBillingEvent } from "@askproai/shared";
import { signCalcom, signRetell, signStripe } from "./signing.js";

export type WebhookSourceName = "retell" | "calcom" | "stripe";

export interface WebhookSecrets {
  RETELL_API_KEY: string;
  CALCOM_WEBHOOK_SECRET: string;
  STRIPE_WEBHOOK_SECRET: string;
}

export interface SignedDelivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export const WEBHOOK_PATHS: Record<WebhookSourceName, string> = { retell: "/webhooks/retell", calcom: "/webhooks/calcom", stripe: "/webhooks/stripe" };

/** The request a sender makes for `body` (a string is sent as it is: tests change bytes after signing). */
export const signedDelivery = (source: WebhookSourceName, body: unknown, secrets: WebhookSecrets, now = Date.now()): SignedDelivery => {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const header: Record<string, string> =
    source === "retell"
      ? { "x-retell-signature": signRetell(raw, secrets.RETELL_API_KEY, now) }
      : source === "calcom"
        ? { "x-cal-signature-256": signCalcom(raw, secrets.CALCOM_WEBHOOK_SECRET), "x-cal-webhook-version": "2021-10-20" }
        : { "stripe-signature": signStripe(raw, secrets.STRIPE_WEBHOOK_SECRET, Math.floor(now / 1000)) };
  return { path: WEBHOOK_PATHS[source], headers: { "content-type": "application/json", ...header }, body: raw };
};

export const randomId = (prefix: string) => `${prefix}${randomBytes(8).toString("hex")}`;

export interface RetellCallSample {
  callId?: string;
  toNumber?: string;
  fromNumber?: string;
  agentId?: string;
  startMs?: number;
  durationMs?: number;
}

/** `{ event, call }`: call_ended carries everything but the analysis, call_analyzed adds `call_analysis`. */
export const retellCallEvent = (event: "call_started" | "call_ended" | "call_analyzed", sample: RetellCallSample = {}) => {
  const start = sample.startMs ?? Date.now() - 180_000;
  const duration = sample.durationMs ?? 95_000;
  const ended = event !== "call_started";
  return {
    event,
    call: {
      call_id: sample.callId ?? randomId("call_"),
      agent_id: sample.agentId ?? "agent_demo",
      agent_version: 1,
      call_type: "phone_call",
      call_status: ended ? "ended" : "ongoing",
      direction: "inbound",
      from_number: sample.fromNumber ?? "+4915112345678",
      to_number: sample.toNumber ?? "+493023125101",
      start_timestamp: start,
      ...(ended
        ? {
            end_timestamp: start + duration,
            duration_ms: duration,
            disconnection_reason: "user_hangup",
            transcript: "Agent: Guten Tag, Salon Schnittpunkt.\nUser: Ich hätte gern einen Termin.",
          }
        : {}),
      ...(event === "call_analyzed" ? { call_analysis: { call_summary: "Der Anrufer hat einen Termin gebucht.", user_sentiment: "Positive", call_successful: true, in_voicemail: false } } : {}),
    },
  };
};

export interface StripeSample {
  id?: string;
  customer?: string;
  subscription?: string;
  status?: string;
  /** Unix seconds. */
  created?: number;
  currentPeriodEnd?: number;
}

export { STRIPE_BILLING_EVENTS as STRIPE_EVENT_TYPES } from "@askproai/shared";
type StripeEventType = StripeBillingEvent;

/** `{ id, object: "event", type, created, data: { object } }` with the object each type carries. */
export const stripeEvent = (type: StripeEventType, sample: StripeSample = {}) => {
  const created = sample.created ?? Math.floor(Date.now() / 1000);
  const customer = sample.customer ?? "cus_demo_simple_salon";
  const subscription = sample.subscription ?? `sub_demo_${customer.replace(/^cus_demo_/, "")}`;
  const periodEnd = sample.currentPeriodEnd ?? created + 30 * 86_400;
  const object = type.startsWith("customer.subscription.")
    ? {
        id: subscription,
        object: "subscription",
        customer,
        status: sample.status ?? (type === "customer.subscription.deleted" ? "canceled" : "active"),
        created: created - 86_400,
        current_period_start: periodEnd - 30 * 86_400,
        current_period_end: periodEnd,
        cancel_at_period_end: false,
        items: { object: "list", data: [{ id: `si_${subscription.slice(4)}`, object: "subscription_item", current_period_end: periodEnd }] },
      }
    : type === "checkout.session.completed"
      ? { id: randomId("cs_test_"), object: "checkout.session", mode: "subscription", customer, subscription, payment_status: "paid", status: "complete" }
      : {
          id: randomId("in_"),
          object: "invoice",
          customer,
          subscription,
          status: type === "invoice.paid" ? "paid" : "open",
          lines: { object: "list", data: [{ period: { start: periodEnd - 30 * 86_400, end: periodEnd } }] },
        };
  return { id: sample.id ?? randomId("evt_"), object: "event", api_version: "2025-03-31.basil", type, created, livemode: false, data: { object } };
};

export type CalcomTrigger = "BOOKING_CREATED" | "BOOKING_RESCHEDULED" | "BOOKING_CANCELLED";

/** `{ triggerEvent, createdAt, payload }` as Cal.com's 2021-10-20 payload version has it. */
export const calcomBookingEvent = (triggerEvent: CalcomTrigger, sample: { uid?: string; createdAt?: string; organizerId?: number; metadata?: Record<string, string> } = {}) => {
  const start = new Date(Date.now() + 3 * 86_400_000);
  start.setUTCMinutes(0, 0, 0);
  return {
    triggerEvent,
    createdAt: sample.createdAt ?? new Date().toISOString(),
    payload: {
      uid: sample.uid ?? randomId(""),
      bookingId: Math.floor(Math.random() * 1e6),
      eventTypeId: 1001,
      type: "herrenhaarschnitt",
      title: "Herrenhaarschnitt",
      startTime: start.toISOString(),
      endTime: new Date(start.getTime() + 30 * 60_000).toISOString(),
      organizer: { id: sample.organizerId ?? 9001, name: "Lena", email: "lena@salon.example", timeZone: "Europe/Berlin", language: { locale: "de" } },
      attendees: [{ name: "Max Muster", email: "max@example.org", timeZone: "Europe/Berlin", language: { locale: "de" } }],
      metadata: sample.metadata ?? {},
      status: triggerEvent === "BOOKING_CANCELLED" ? "CANCELLED" : "ACCEPTED",
      ...(triggerEvent === "BOOKING_CANCELLED" ? { cancellationReason: "verhindert" } : {}),
    },
  };
};
