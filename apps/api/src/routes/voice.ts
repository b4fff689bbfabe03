/**
 * Retell custom functions: `POST /voice/retell/functions`, signed like the Retell webhook
 * (x-retell-signature over the raw body), answered `200 { ok, result, ... }` whatever happened in
 * the domain, so the agent always has a sentence to say. Only what is not a function call at all is
 * refused: a bad or missing signature (401) and a body that is not `{ name, call, args }` (400).
 * `GET /voice/retell/tools` (owner or admin login): the function definitions and a suggested agent
 * prompt to paste into Retell.
 */
import { authenticate } from "@askproai/db/auth";
import { answerVoiceFunction, retellToolsFor } from "@askproai/db/voice";
import { contextFor } from "@askproai/db";
import { DomainError, retellFunctionRequest } from "@askproai/shared";
import { verifyRetell } from "@askproai/shared/server";
import type { Express, Request } from "express";
import type { Logger } from "pino";
import type { ApiDeps } from "../deps.js";
import { sendError } from "../errors.js";
import { bearerToken } from "../trpc.js";
import { parseJsonBody, rawBody, rawBodyOf } from "./raw-body.js";

export const VOICE_FUNCTIONS_PATH = "/voice/retell/functions";
export const VOICE_TOOLS_PATH = "/voice/retell/tools";


/** The URL Retell should call, as this request reached us (a proxy's forwarded host and scheme included). */
const publicUrlOf = (req: Request, path: string) => `${req.protocol}://${req.get("host") ?? "127.0.0.1"}${path}`;

export const mountVoice = (app: Express, deps: ApiDeps) => {
  app.post(VOICE_FUNCTIONS_PATH, rawBody(), async (req, res, next) => {
    const log = (res.locals.log as Logger | undefined) ?? deps.logger;
    const raw = rawBodyOf(req.body);
    const verdict = verifyRetell(raw, req.get("x-retell-signature"), deps.config.RETELL_API_KEY);
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason }, "voice function: signature refused");
      return sendError(res, new DomainError("UNAUTHORIZED", `invalid x-retell-signature (${verdict.reason})`));
    }
    try {
      const parsed = retellFunctionRequest.safeParse(parseJsonBody(raw));
      if (!parsed.success) {
        const what = parsed.error.issues.map((i) => i.path.join(".") || "body").join(", ");
        return sendError(res, new DomainError("BAD_REQUEST", `not a Retell function call ({ name, call: { call_id, ... }, args }): ${what}`));
      }
      const answer = await answerVoiceFunction(deps.domain, parsed.data, { correlationId: res.locals.correlationId as string, log });
      res.status(200).json(answer);
    } catch (error) {
      if (error instanceof DomainError) return sendError(res, error);
      next(error);
    }
  });

  app.get(VOICE_TOOLS_PATH, async (req, res, next) => {
    try {
      const token = bearerToken(req.get("authorization"));
      const session = token ? await authenticate(deps.db, token, deps.sessions) : null;
      if (!session) return sendError(res, new DomainError("UNAUTHORIZED", "a valid bearer token is required"));
      if (session.user.role !== "owner" && session.user.role !== "admin") return sendError(res, new DomainError("FORBIDDEN", "needs the role owner or admin"));
      const ctx = contextFor(deps.domain, {
        companyId: session.user.companyId,
        correlationId: res.locals.correlationId as string,
        actor: { type: "user", id: session.user.id },
        source: "api",
      });
      res.json(await retellToolsFor(ctx, publicUrlOf(req, VOICE_FUNCTIONS_PATH)));
    } catch (error) {
      next(error);
    }
  });
};
