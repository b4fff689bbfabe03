/**
 * `POST /webhooks/sms`: a customer's SMS reply, posted by the SMS gateway as Twilio does (form-encoded,
 * `X-Twilio-Signature` over the exact URL and every parameter, checked in constant time before
 * anything is read). Today it carries answers to waitlist offers ("JA", "JA 4711", "NEIN"). The answer
 * is empty TwiML: what the customer hears back (the booking's confirmation, or "it is gone") is sent
 * by the worker like every other message.
 */
import { classifyDbError } from "@askproai/db";
import { respondToReply } from "@askproai/db/waitlist";
import { DomainError, phoneSchema } from "@askproai/shared";
import { verifyTwilio } from "@askproai/shared/server";
import type { Request } from "express";
import { z } from "zod";
import type { ApiDeps } from "../../deps.js";
import { sendError } from "../../errors.js";
import type { RouteMount } from "../index.js";
import { rawBody, rawBodyOf } from "../raw-body.js";

export const SMS_WEBHOOK_PATH = "/webhooks/sms";
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const replySchema = z.object({ From: phoneSchema, Body: z.string().max(1600), MessageSid: z.string().max(64).optional() });

/** The URL the gateway posted to, as it signed it: the configured public base, else this request's own. */
const signedUrlOf = (req: Request, publicBaseUrl: string | undefined) =>
  `${publicBaseUrl ? publicBaseUrl.replace(/\/+$/, "") : `${req.protocol}://${req.get("host") ?? ""}`}${req.originalUrl}`;

export const mountSmsWebhook: RouteMount = (app, deps: ApiDeps) => {
  app.post(SMS_WEBHOOK_PATH, rawBody(), async (req, res) => {
    const params: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(rawBodyOf(req.body).toString("utf8"))) params[key] = value;
    const verdict = verifyTwilio(signedUrlOf(req, deps.config.PUBLIC_BASE_URL), params, req.get("x-twilio-signature"), deps.config.SMS_AUTH_TOKEN);
    if (!verdict.ok) return sendError(res, new DomainError("UNAUTHORIZED", `X-Twilio-Signature ${verdict.reason}`));
    const parsed = replySchema.safeParse(params);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))];
      return sendError(res, new DomainError("BAD_REQUEST", `invalid reply: ${fields.join(", ")}`, { fields }));
    }
    try {
      const result = await respondToReply(deps.domain, {
        from: parsed.data.From,
        body: parsed.data.Body,
        correlationId: res.locals.correlationId as string,
        log: req.log,
      });
      req.log.info({ outcome: result.outcome, companyId: result.companyId, appointmentId: result.appointmentId }, "sms reply handled");
      if (result.companyId) {
        const companyId = result.companyId;
        await deps.messages.enqueue(result.messageIds.map((messageId) => ({ companyId, messageId, correlationId: res.locals.correlationId as string })));
      }
      res.type("text/xml").send(EMPTY_TWIML);
    } catch (error) {
      if (error instanceof DomainError) return sendError(res, error);
      if (classifyDbError(error).kind === "unavailable") {
        return sendError(res, new DomainError("SERVICE_UNAVAILABLE", "database unavailable; send the reply again", { dependency: "postgresql" }));
      }
      throw error;
    }
  });
};
