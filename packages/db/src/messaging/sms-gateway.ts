/**
 * The SMS gateway client: Twilio's Messages API (2010-04-01), form-encoded with HTTP Basic auth, at
 * `SMS_API_URL`. Twilio has no idempotency key for sends, so every answer is classified by whether the
 * message may have been accepted, and a send of unknown outcome can be looked up afterwards in
 * Twilio's message list (`findRecent`) instead of being sent blind a second time.
 */
import { createHash } from "node:crypto";
import type { OutsideCall, SendOutcome } from "./outcome.js";
import { redactPhone, redactText } from "../ops/redact.js";

export interface SmsGatewayOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** E.164 number or messaging service SID (`MG…`). */
  from: string;
  timeoutMs?: number;
}

export interface SentSms {
  sid: string;
  bodySha256: string;
  createdAt: number;
}

export interface SmsGateway {
  send(to: string, body: string): Promise<{ outcome: SendOutcome; call: OutsideCall }>;
  /** Messages to `to` created at or after `sinceMs`, newest first (throws when the gateway cannot answer). */
  findRecent(to: string, sinceMs: number): Promise<{ messages: SentSms[]; call: OutsideCall }>;
}

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Errors of fetch that mean the request never left this machine. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

const causeCode = (error: unknown): string | undefined => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === "string" ? cause.code : undefined;
};

const describe = (error: unknown) => {
  if ((error as { name?: string } | null)?.name === "TimeoutError") return "timeout";
  return causeCode(error) ?? (error instanceof Error ? error.message : String(error));
};

interface TwilioErrorBody {
  code?: number;
  message?: string;
}

export const createSmsGateway = (options: SmsGatewayOptions): SmsGateway => {
  const base = options.baseUrl.replace(/\/+$/, "");
  const endpoint = `/2010-04-01/Accounts/${options.accountSid}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString("base64")}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const senderField = options.from.startsWith("MG") ? "MessagingServiceSid" : "From";

  const request = async (method: "GET" | "POST", path: string, body?: URLSearchParams) => {
    const started = Date.now();
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: auth, accept: "application/json", ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body: body?.toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { response, json, durationMs: Date.now() - started };
  };

  return {
    async send(to, body) {
      const started = Date.now();
      const requestBody = { To: redactPhone(to), [senderField]: options.from, bodyChars: body.length };
      const call = (statusCode: number | null, responseBody: Record<string, unknown> | null, error: string | null): OutsideCall => ({
        service: "sms", method: "POST", endpoint, statusCode, durationMs: Date.now() - started, requestBody, responseBody, error,
      });
      let result: Awaited<ReturnType<typeof request>>;
      try {
        result = await request("POST", endpoint, new URLSearchParams({ To: to, [senderField]: options.from, Body: body }));
      } catch (error) {
        const detail = describe(error);
        const outcome: SendOutcome = NEVER_SENT.has(causeCode(error) ?? "") ? { kind: "not_sent", detail } : { kind: "unknown", detail };
        return { outcome, call: call(null, null, detail) };
      }
      const { response, json } = result;
      const status = response.status;
      if (status >= 200 && status < 300) {
        const message = json as { sid?: string; status?: string } | null;
        if (!message?.sid) return { outcome: { kind: "unknown", detail: "accepted without a message sid" }, call: call(status, null, "no sid") };
        return { outcome: { kind: "sent", providerId: message.sid }, call: call(status, { sid: message.sid, status: message.status }, null) };
      }
      const err = (json ?? {}) as TwilioErrorBody;
      const detail = redactText(`${status}${err.code ? ` ${err.code}` : ""}: ${err.message ?? "no message"}`);
      const responseBody = { code: err.code ?? null };
      if (status === 429) {
        const retryAfter = Number(response.headers.get("retry-after"));
        return { outcome: { kind: "not_sent", detail, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined }, call: call(status, responseBody, detail) };
      }
      // A 5xx may come after the message was stored: only the message list can tell.
      if (status >= 500) return { outcome: { kind: "unknown", detail }, call: call(status, responseBody, detail) };
      return { outcome: { kind: "rejected", detail }, call: call(status, responseBody, detail) };
    },

    async findRecent(to, sinceMs) {
      const query = new URLSearchParams({ To: to, PageSize: "50" });
      const started = Date.now();
      const call = (statusCode: number | null, found: number | null, error: string | null): OutsideCall => ({
        service: "sms", method: "GET", endpoint, statusCode, durationMs: Date.now() - started,
        requestBody: { To: redactPhone(to) }, responseBody: found === null ? null : { found }, error,
      });
      let result: Awaited<ReturnType<typeof request>>;
      try {
        result = await request("GET", `${endpoint}?${query.toString()}`);
      } catch (error) {
        throw Object.assign(new Error(`SMS gateway list failed: ${describe(error)}`), { call: call(null, null, describe(error)) });
      }
      const { response, json } = result;
      if (!response.ok) {
        const detail = `${response.status}`;
        throw Object.assign(new Error(`SMS gateway list failed: ${detail}`), { call: call(response.status, null, detail) });
      }
      const list = ((json as { messages?: { sid: string; body: string; to: string; date_created: string; direction?: string }[] } | null)?.messages ?? [])
        .filter((m) => m.to === to && m.direction !== "inbound")
        .map((m) => ({ sid: m.sid, bodySha256: sha256(m.body), createdAt: Date.parse(m.date_created) }))
        // Twilio dates have whole seconds: allow the second the attempt started in.
        .filter((m) => m.createdAt >= Math.floor(sinceMs / 1000) * 1000 - 1000);
      return { messages: list, call: call(response.status, list.length, null) };
    },
  };
};
