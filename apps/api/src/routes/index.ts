/**
 * Every HTTP route of the API in one registry, mounted in this order: request metrics, health and
 * /metrics, the invitation page, the availability fast path, the raw-body routes (webhooks, voice
 * functions), then tRPC (with the booking fast path after its body parser; ./fast-path.ts). Each area adds one mount function
 * in its own file (`routes/webhooks/<source>.ts`, `routes/voice.ts`) and one line below.
 */
import type { Express } from "express";
import type { ApiDeps } from "../deps.js";
import { AVAILABILITY_PATH, availabilityFastPath } from "./availability-fast-path.js";
import { mountHealth } from "./health.js";
import { mountInvitePage } from "./invite.js";
import { httpMetrics, mountMetrics } from "./metrics.js";
import { mountTrpc, sessionBudget } from "./trpc.js";
import { mountVoice } from "./voice.js";
import { mountCalcomWebhook } from "./webhooks/calcom.js";
import { mountRetellWebhook } from "./webhooks/retell.js";
import { mountSmsWebhook } from "./webhooks/sms.js";
import { mountStripeWebhook } from "./webhooks/stripe.js";

export type RouteMount = (app: Express, deps: ApiDeps) => void;

/** Routes that verify a signature over the raw body (mounted with `rawBody()` in their own files). */
export const RAW_BODY_ROUTES: RouteMount[] = [mountVoice, mountSmsWebhook, mountRetellWebhook, mountCalcomWebhook, mountStripeWebhook];

export const mountRoutes = (app: Express, deps: ApiDeps) => {
  app.use(httpMetrics);
  mountHealth(app, deps);
  mountMetrics(app, deps);
  mountInvitePage(app);
  app.use("/trpc", sessionBudget(deps));
  app.get(AVAILABILITY_PATH, availabilityFastPath(deps));
  for (const mount of RAW_BODY_ROUTES) mount(app, deps);
  mountTrpc(app, deps);
};
