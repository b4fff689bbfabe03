/**
 * A company's billing state (Stripe): what the desktop shows (`company.billing`) and what decides
 * whether the voice agent may book. A company whose subscription is cancelled or unpaid keeps taking
 * bookings until the end of the period it paid for; after that the desk keeps full access, but the
 * voice agent books nothing new. A company without a Stripe subscription (`none`: not billed through
 * Stripe, e.g. before onboarding finished) is not gated.
 */
import { notFound, toZonedIso } from "@askproai/shared";
import type { OperationContext } from "../context.js";

export const BILLING_STATUSES = ["none", "trialing", "active", "past_due", "canceled", "unpaid", "incomplete", "paused"] as const;
export type BillingStatus = (typeof BILLING_STATUSES)[number];

/** Stripe's subscription statuses as ours (`incomplete_expired` never became a subscription: canceled). */
export const billingStatusOf = (stripeStatus: string): BillingStatus | null => {
  if (stripeStatus === "incomplete_expired") return "canceled";
  return (BILLING_STATUSES as readonly string[]).includes(stripeStatus) && stripeStatus !== "none" ? (stripeStatus as BillingStatus) : null;
};

const IN_GOOD_STANDING: ReadonlySet<BillingStatus> = new Set(["none", "active", "trialing"]);

/** Whether new bookings by the voice agent are taken: in good standing, or still inside the paid period. */
export const voiceBookingAllowed = (state: { status: BillingStatus; periodEnd: Date | null }, now: number) =>
  IN_GOOD_STANDING.has(state.status) || (state.periodEnd !== null && state.periodEnd.getTime() > now);

export interface BillingOut {
  status: BillingStatus;
  periodEnd: string | null;
  subscriptionId: string | null;
  /** False once a cancelled or unpaid subscription's period is over: the voice agent then books nothing new. */
  voiceBookingAllowed: boolean;
}

export const companyBilling = async (ctx: Pick<OperationContext, "db" | "now">): Promise<BillingOut> => {
  const company = await ctx.db.company.findFirst({ select: { billingStatus: true, billingPeriodEnd: true, stripeSubscriptionId: true, timezone: true } });
  if (!company) throw notFound("company");
  const status = company.billingStatus as BillingStatus;
  return {
    status,
    periodEnd: company.billingPeriodEnd ? toZonedIso(company.billingPeriodEnd.getTime(), company.timezone) : null,
    subscriptionId: company.stripeSubscriptionId,
    voiceBookingAllowed: voiceBookingAllowed({ status, periodEnd: company.billingPeriodEnd }, ctx.now()),
  };
};
