/**
 * Stripe's subscription and customer objects as `GET /v1/...` returns them. `current_period_*` is written
 * both on the subscription (older API versions) and on its items (where API 2025-03-31.basil moved it).
 */
import { z } from "zod";

const SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "paused"] as const;

export const subscriptionInputSchema = z.object({
  id: z.string().regex(/^sub_\w+$/, "id must look like sub_…"),
  customer: z.string().regex(/^cus_\w+$/, "customer must look like cus_…"),
  status: z.enum(SUBSCRIPTION_STATUSES),
  /** Unix seconds; default 30 days after the period start. */
  currentPeriodStart: z.number().int().optional(),
  currentPeriodEnd: z.number().int().optional(),
  cancelAtPeriodEnd: z.boolean().default(false),
  canceledAt: z.number().int().nullable().default(null),
  endedAt: z.number().int().nullable().default(null),
  created: z.number().int().optional(),
  priceId: z.string().default("price_standin_monthly"),
  /** Minor units (cents). */
  unitAmount: z.number().int().nonnegative().default(4900),
  currency: z.string().length(3).default("eur"),
  metadata: z.record(z.string(), z.string()).default({}),
});
export type SubscriptionInput = z.input<typeof subscriptionInputSchema>;

export const customerInputSchema = z.object({
  id: z.string().regex(/^cus_\w+$/, "id must look like cus_…"),
  name: z.string().nullable().default(null),
  email: z.string().nullable().default(null),
  metadata: z.record(z.string(), z.string()).default({}),
});

export type StripeSubscription = ReturnType<typeof buildSubscription>;
export type StripeCustomer = ReturnType<typeof buildCustomer>;

export const buildSubscription = (input: z.infer<typeof subscriptionInputSchema>, nowMs: number) => {
  const now = Math.floor(nowMs / 1000);
  const start = input.currentPeriodStart ?? now - 86_400;
  const end = input.currentPeriodEnd ?? start + 30 * 86_400;
  const created = input.created ?? start;
  const itemId = `si_${input.id.slice(4)}`;
  return {
    id: input.id,
    object: "subscription" as const,
    application: null,
    billing_cycle_anchor: start,
    cancel_at: input.cancelAtPeriodEnd ? end : null,
    cancel_at_period_end: input.cancelAtPeriodEnd,
    canceled_at: input.canceledAt,
    collection_method: "charge_automatically" as const,
    created,
    currency: input.currency,
    current_period_start: start,
    current_period_end: end,
    customer: input.customer,
    default_payment_method: null,
    ended_at: input.endedAt,
    items: {
      object: "list" as const,
      data: [
        {
          id: itemId,
          object: "subscription_item" as const,
          created,
          current_period_start: start,
          current_period_end: end,
          metadata: {},
          price: {
            id: input.priceId,
            object: "price" as const,
            active: true,
            currency: input.currency,
            product: "prod_standin_askproai",
            recurring: { interval: "month" as const, interval_count: 1, usage_type: "licensed" as const },
            type: "recurring" as const,
            unit_amount: input.unitAmount,
          },
          quantity: 1,
          subscription: input.id,
        },
      ],
      has_more: false,
      total_count: 1,
      url: `/v1/subscription_items?subscription=${input.id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata: input.metadata,
    start_date: created,
    status: input.status,
    trial_end: null,
    trial_start: null,
  };
};

export const buildCustomer = (input: z.infer<typeof customerInputSchema>, nowMs: number) => ({
  id: input.id,
  object: "customer" as const,
  address: null,
  balance: 0,
  created: Math.floor(nowMs / 1000),
  currency: "eur",
  delinquent: false,
  description: null,
  email: input.email,
  invoice_prefix: input.id.slice(4, 12).toUpperCase(),
  livemode: false,
  metadata: input.metadata,
  name: input.name,
  phone: null,
  preferred_locales: [],
});
