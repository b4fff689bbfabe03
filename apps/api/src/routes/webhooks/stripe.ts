/** `POST /webhooks/stripe`: billing events, `stripe-signature: t=<unix s>,v1=<hex>[,v1=…]` over "<t>.<body>", 300 s. */
import { verifyStripe } from "@askproai/shared/server";
import type { RouteMount } from "../index.js";
import { mountWebhookIntake } from "./intake.js";

export const STRIPE_WEBHOOK_PATH = "/webhooks/stripe";

export const mountStripeWebhook: RouteMount = (app, deps) =>
  mountWebhookIntake(app, deps, {
    source: "stripe",
    path: STRIPE_WEBHOOK_PATH,
    header: "stripe-signature",
    verify: (raw, header, d) => verifyStripe(raw, header, d.config.STRIPE_WEBHOOK_SECRET),
  });
