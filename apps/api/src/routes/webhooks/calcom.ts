/** `POST /webhooks/calcom`: booking events, `x-cal-signature-256: hex(HMAC-SHA256(secret, body))` (no timestamp). */
import { verifyCalcom } from "@askproai/shared/server";
import type { RouteMount } from "../index.js";
import { mountWebhookIntake } from "./intake.js";

export const CALCOM_WEBHOOK_PATH = "/webhooks/calcom";

export const mountCalcomWebhook: RouteMount = (app, deps) =>
  mountWebhookIntake(app, deps, {
    source: "calcom",
    path: CALCOM_WEBHOOK_PATH,
    header: "x-cal-signature-256",
    verify: (raw, header, d) => verifyCalcom(raw, header, d.config.CALCOM_WEBHOOK_SECRET),
  });
