/**
 * The envelopes of the signed webhooks (contract.md, "Webhooks"): only what identifies an event is
 * required here; everything else stays in the stored payload for the worker to read. Event identity:
 * Retell `<call.call_id>:<event>` (Retell sends no event id), Cal.com `<triggerEvent>:<payload.uid>:<createdAt>`,
 * Stripe the event's `id`.
 */
import { z } from "zod";
import { text } from "./text.js";

export const WEBHOOK_SOURCES = ["retell", "calcom", "stripe"] as const;
export type WebhookSource = (typeof WEBHOOK_SOURCES)[number];

const name = text({ min: 1, max: 100 });
const id = text({ min: 1, max: 200 });

export const retellWebhookEnvelope = z.looseObject({ event: name, call: z.looseObject({ call_id: id }) });
export const calcomWebhookEnvelope = z.looseObject({ triggerEvent: name, createdAt: text({ min: 1, max: 64 }), payload: z.looseObject({ uid: id }) });
export const stripeWebhookEnvelope = z.looseObject({ id: text({ min: 1, max: 255 }), type: name, created: z.number().int().nonnegative().max(1e11).optional() });

/** The Stripe events billing processes (others are recorded and marked processed). */
export const STRIPE_BILLING_EVENTS = [
  "checkout.session.completed",
  "customer.subscription.created",
  "customer.subscription.updated",
  "customer.subscription.deleted",
  "invoice.paid",
  "invoice.payment_failed",
] as const;
export type StripeBillingEvent = (typeof STRIPE_BILLING_EVENTS)[number];

export interface WebhookIdentity {
  eventId: string;
  eventType: string;
}

export type IdentityResult = { ok: true; identity: WebhookIdentity } | { ok: false; fields: string[] };

const fieldsOf = (error: z.ZodError) => [...new Set(error.issues.map((i) => i.path.join(".") || "body"))];

/** The event's identity and type from a parsed body, or the fields that are missing or unusable. */
export const webhookIdentity = (source: WebhookSource, body: unknown): IdentityResult => {
  if (source === "retell") {
    const parsed = retellWebhookEnvelope.safeParse(body);
    if (!parsed.success) return { ok: false, fields: fieldsOf(parsed.error) };
    return { ok: true, identity: { eventId: `${parsed.data.call.call_id}:${parsed.data.event}`, eventType: parsed.data.event } };
  }
  if (source === "calcom") {
    const parsed = calcomWebhookEnvelope.safeParse(body);
    if (!parsed.success) return { ok: false, fields: fieldsOf(parsed.error) };
    const { triggerEvent, payload, createdAt } = parsed.data;
    return { ok: true, identity: { eventId: `${triggerEvent}:${payload.uid}:${createdAt}`, eventType: triggerEvent } };
  }
  const parsed = stripeWebhookEnvelope.safeParse(body);
  if (!parsed.success) return { ok: false, fields: fieldsOf(parsed.error) };
  return { ok: true, identity: { eventId: parsed.data.id, eventType: parsed.data.type } };
};
