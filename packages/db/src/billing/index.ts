export { BILLING_STATUSES, billingStatusOf, companyBilling, voiceBookingAllowed, type BillingOut, type BillingStatus } from "./state.js";
export { createStripeApi, StripeRefusal, type StripeApi, type StripeApiOptions, type StripeSubscriptionState } from "./stripe-api.js";
