/**
 * The one intake of the signed webhooks (contract.md, "Webhooks"), shared by the Retell, Cal.com and
 * Stripe routes: the signature is verified over the raw body before anything is parsed or stored; the
 * event is stored once per (source, event id); the worker gets it after the answer went out.
 *   204  stored now, or stored before and not yet processed (no second row, no second job)
 *   200  {"status":"already_processed"}
 *   401  bad, missing, stale or malformed signature (nothing stored)
 *   400  not JSON, or no event identity
 *   503  PostgreSQL unreachable (the sender retries)
 * Logs carry the source, the outcome and ids; never the signature, the secret or the body.
 */
import { classifyDbError } from "@askproai/db";
import { metrics } from "@askproai/db/ops";
import { storeWebhookEvent } from "@askproai/db/webhooks";
import { DomainError, webhookIdentity, type WebhookSource } from "@askproai/shared";
import type { SignatureVerdict } from "@askproai/shared/server";
import type { Express } from "express";
import type { Logger } from "pino";
import type { ApiDeps } from "../../deps.js";
import { sendError } from "../../errors.js";
import { parseJsonBody, rawBody, rawBodyOf } from "../raw-body.js";

export interface WebhookRoute {
  source: WebhookSource;
  path: string;
  /** The signature header, named in the 401's message. */
  header: string;
  verify: (raw: Buffer, header: string | undefined, deps: ApiDeps) => SignatureVerdict;
}

export const mountWebhookIntake = (app: Express, deps: ApiDeps, route: WebhookRoute) => {
  const { source } = route;
  app.post(route.path, rawBody(), async (req, res, next) => {
    const log = (res.locals.log as Logger | undefined) ?? deps.logger;
    const correlationId = res.locals.correlationId as string;
    const raw = rawBodyOf(req.body);
    const verdict = route.verify(raw, req.get(route.header), deps);
    if (!verdict.ok) {
      metrics.webhookEvents.inc({ source, outcome: "rejected" });
      log.warn({ webhook: source, reason: verdict.reason }, "webhook: signature refused");
      return sendError(res, new DomainError("UNAUTHORIZED", `invalid ${route.header} (${verdict.reason})`));
    }
    try {
      const identity = webhookIdentity(source, parseJsonBody(raw));
      if (!identity.ok) {
        throw new DomainError("BAD_REQUEST", `not a ${source} event: missing or unusable ${identity.fields.join(", ")}`, { fields: identity.fields });
      }
      const stored = await storeWebhookEvent(deps.db, { source, ...identity.identity, payload: raw.toString("utf8"), correlationId });
      if (stored.state === "processed") {
        metrics.webhookEvents.inc({ source, outcome: "duplicate" });
        log.info({ webhook: source, webhookEventId: stored.id, state: stored.state }, "webhook: already processed");
        return res.status(200).json({ status: "already_processed" });
      }
      metrics.webhookEvents.inc({ source, outcome: stored.state === "new" ? "accepted" : "duplicate" });
      log.info({ webhook: source, webhookEventId: stored.id, state: stored.state, eventType: identity.identity.eventType }, "webhook: stored");
      res.status(204).end();
      // After the answer: the acknowledgement never waits for Redis, let alone for processing.
      void deps.webhooks.enqueue({ webhookEventId: stored.id, correlationId: stored.correlationId });
    } catch (error) {
      if (error instanceof DomainError) {
        metrics.webhookEvents.inc({ source, outcome: "invalid" });
        return sendError(res, error);
      }
      if (classifyDbError(error).kind === "unavailable") {
        metrics.webhookEvents.inc({ source, outcome: "unavailable" });
        return sendError(res, new DomainError("SERVICE_UNAVAILABLE", "database unavailable; send the event again", { dependency: "postgresql", retryAfterSeconds: 5 }));
      }
      next(error);
    }
  });
};
