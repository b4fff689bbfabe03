/** `POST /webhooks/retell`: call events, `x-retell-signature: v=<unix ms>,d=<hex>` over body + ms, ±5 minutes. */
import { verifyRetell } from "@askproai/shared/server";
import type { RouteMount } from "../index.js";
import { mountWebhookIntake } from "./intake.js";

export const RETELL_WEBHOOK_PATH = "/webhooks/retell";

export const mountRetellWebhook: RouteMount = (app, deps) =>
  mountWebhookIntake(app, deps, {
    source: "retell",
    path: RETELL_WEBHOOK_PATH,
    header: "x-retell-signature",
    verify: (raw, header, d) => verifyRetell(raw, header, d.config.RETELL_API_KEY),
  });
