/**
 * `startSmsStandIn`: an SMS gateway that speaks Twilio's Messages API, keeps what it is asked to send,
 * and can deliver an inbound reply (a customer answering a keyword) to a webhook as Twilio does.
 */
import { randomUUID } from "node:crypto";
import type { Request, Response } from "express";
import { z } from "zod";
import type { FaultPlan } from "../faults.js";
import { htmlTable } from "../html.js";
import { type ListenOptions, type StandInAppOptions, type RecordedRequest, controlInput, createStandInApp, listRoutes, pushBounded, serve } from "../server.js";
import { signTwilio } from "../signing.js";
import { type TwilioMessage, TwilioError, buildMessage, rfc2822, segmentsOf, twilioErrorBody, twilioGenericError } from "./twilio.js";

export type { TwilioMessage };

export const DEMO_TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000000";
export const DEMO_TWILIO_AUTH_TOKEN = "standin_twilio_auth_token";

export interface SmsStandInOptions extends ListenOptions {
  accountSid?: string;
  authToken?: string;
  /** Only `accountSid:authToken` authenticates; otherwise any Basic credentials whose user is the URL's account. */
  strictAuth?: boolean;
  /** Where simulated inbound replies are POSTed (Twilio's "A message comes in" webhook). */
  inboundWebhookUrl?: string;
  now?: () => number;
}

export interface InboundInput {
  from: string;
  to: string;
  body: string;
  /** Overrides the configured inbound webhook URL. */
  url?: string;
}

export interface InboundResult {
  url: string;
  params: Record<string, string>;
  signature: string;
  status: number;
  /** The webhook's answer (TwiML or anything). */
  answer: string;
}

export interface SmsStandIn {
  url: string;
  close(): Promise<void>;
  faults: FaultPlan;
  requests: RecordedRequest[];
  /** Outbound messages accepted through the API, and simulated inbound ones, oldest first. */
  messages: TwilioMessage[];
  accountSid: string;
  authToken: string;
  setInboundWebhookUrl(url: string): void;
  simulateInbound(input: InboundInput): Promise<InboundResult>;
  reset(): void;
}

const E164 = /^\+[1-9]\d{6,14}$/;
/** Alphanumeric sender ids: up to 11 letters, digits and spaces, at least one letter. */
const ALPHANUMERIC_SENDER = /^(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}$/;

const inboundSchema = z.object({ from: z.string().regex(E164, "from must be E.164"), to: z.string().min(1), body: z.string(), url: z.url().optional() });

export const startSmsStandIn = async (options: SmsStandInOptions = {}): Promise<SmsStandIn> => {
  const now = options.now ?? Date.now;
  const accountSid = options.accountSid ?? DEMO_TWILIO_ACCOUNT_SID;
  const authToken = options.authToken ?? DEMO_TWILIO_AUTH_TOKEN;
  let inboundUrl = options.inboundWebhookUrl;
  const messages: TwilioMessage[] = [];

  const authenticate = (req: Request): void => {
    const match = /^Basic\s+(\S+)$/i.exec(req.get("authorization") ?? "");
    const [user = "", ...rest] = match ? Buffer.from(match[1]!, "base64").toString("utf8").split(":") : [];
    const password = rest.join(":");
    const ok = options.strictAuth ? user === accountSid && password === authToken : user === req.params.AccountSid && password.length > 0;
    if (!ok || user !== req.params.AccountSid) throw new TwilioError(401, 20003, "Authenticate");
  };

  const send = async (req: Request, res: Response) => {
    authenticate(req);
    const form = (String(req.get("content-type")).includes("application/x-www-form-urlencoded") ? req.body : {}) as Record<string, string>;
    const { To: to, From: from, MessagingServiceSid: service, Body: body, StatusCallback: statusCallback } = form;
    if (!to) throw new TwilioError(400, 21604, "A 'To' phone number is required.");
    if (!E164.test(to)) throw new TwilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    if (!from && !service) throw new TwilioError(400, 21603, "A 'From' phone number is required.");
    if (from && !E164.test(from) && !ALPHANUMERIC_SENDER.test(from)) throw new TwilioError(400, 21212, `The 'From' number ${from} is not a valid phone number, shortcode, or alphanumeric sender ID.`);
    if (!body) throw new TwilioError(400, 21602, "Message body is required.");
    if (body.length > 1600) throw new TwilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    const message = buildMessage({ accountSid: req.params.AccountSid as string, to, from: from ?? null, messagingServiceSid: service ?? null, body, now: now() });
    pushBounded(messages, message);
    res.status(201).json(message);
    if (statusCallback) void progress(message, statusCallback);
  };

  /** Twilio's status callbacks: `sent`, then `delivered`, form-encoded and signed like every Twilio webhook. */
  const progress = async (message: TwilioMessage, callbackUrl: string) => {
    for (const status of ["sent", "delivered"] as const) {
      message.status = status;
      message.date_updated = rfc2822(now());
      if (status === "sent") message.date_sent = message.date_updated;
      const params = { AccountSid: message.account_sid, ApiVersion: "2010-04-01", From: message.from ?? "", MessageSid: message.sid, MessageStatus: status, SmsSid: message.sid, SmsStatus: status, To: message.to };
      await postForm(callbackUrl, params).catch(() => undefined);
    }
  };

  const postForm = async (url: string, params: Record<string, string>) => {
    const signature = signTwilio(url, params, authToken);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature, "i-twilio-idempotency-token": randomUUID() },
      body: new URLSearchParams(params).toString(),
      signal: AbortSignal.timeout(15_000),
    });
    return { signature, status: response.status, answer: await response.text() };
  };

  const simulateInbound = async (raw: InboundInput): Promise<InboundResult> => {
    const input = inboundSchema.parse(raw);
    const url = input.url ?? inboundUrl;
    if (!url) throw new TwilioError(400, 20001, "no inbound webhook URL configured (options.inboundWebhookUrl or PUT /__standin/inbound-webhook)");
    const message = { ...buildMessage({ accountSid, to: input.to, from: input.from, messagingServiceSid: null, body: input.body, now: now() }), direction: "inbound" as const, status: "received" as const };
    pushBounded(messages, message);
    const params: Record<string, string> = {
      ToCountry: "DE",
      SmsMessageSid: message.sid,
      NumMedia: "0",
      SmsSid: message.sid,
      SmsStatus: "received",
      Body: input.body,
      To: input.to,
      NumSegments: String(segmentsOf(input.body)),
      MessageSid: message.sid,
      AccountSid: accountSid,
      From: input.from,
      ApiVersion: "2010-04-01",
    };
    return { url, params, ...(await postForm(url, params)) };
  };

  const appOptions: StandInAppOptions = {
    errorBody: (status: number, message: string) => twilioGenericError(status, message),
    reset: () => void (messages.length = 0),
    pages: (app) => {
      app.get("/", (_req, res) => {
        const rows = [...messages].reverse().map((m) => [m.date_created, m.direction, m.from ?? m.messaging_service_sid, m.to, m.status, m.body]);
        res.type("html").send(htmlTable("SMS stand-in (Twilio Messages API)", ["created", "direction", "from", "to", "status", "body"], rows, "JSON: GET /__standin/messages"));
      });
    },
    control: (router) => {
      listRoutes(router, "messages", messages);
      router.put("/inbound-webhook", (req, res) => {
        inboundUrl = controlInput(z.object({ url: z.url() }), req.body).url;
        res.json({ url: inboundUrl });
      });
      router.post("/inbound", async (req, res) => {
        try {
          res.json(await simulateInbound(controlInput(inboundSchema, req.body)));
        } catch (error) {
          if (error instanceof TwilioError) res.status(error.status).json({ error: error.message });
          else res.status(502).json({ error: `inbound webhook not reachable: ${(error as Error).message}` });
        }
      });
    },
  };
  const standIn = createStandInApp(appOptions);
  const api = "/2010-04-01/Accounts/:AccountSid";
  standIn.app.post(`${api}/Messages.json`, send);
  // Twilio's list: newest first, filtered by To, From and DateSent (`DateSent`, `DateSent<`, `DateSent>`:
  // a date or an instant; the stand-in compares with date_sent, else date_created), paged by PageSize/Page.
  standIn.app.get(`${api}/Messages.json`, (req, res) => {
    authenticate(req);
    const query = req.query as Record<string, string | undefined>;
    const pageSize = Math.min(Math.max(Number(query.PageSize ?? 50) || 50, 1), 1000);
    const page = Math.max(Number(query.Page ?? 0) || 0, 0);
    const bound = (value: string | undefined) => (value === undefined ? undefined : Date.parse(/T/.test(value) ? value : `${value}T00:00:00Z`));
    const on = bound(query.DateSent);
    const before = bound(query["DateSent<"]);
    const after = bound(query["DateSent>"]);
    const matching = messages
      .filter((m) => m.account_sid === req.params.AccountSid)
      .filter((m) => (!query.To || m.to === query.To) && (!query.From || m.from === query.From))
      .filter((m) => {
        const sent = Date.parse(m.date_sent ?? m.date_created);
        const day = Date.parse(`${new Date(sent).toISOString().slice(0, 10)}T00:00:00Z`);
        return (on === undefined || day === on) && (before === undefined || sent <= before + (/T/.test(query["DateSent<"] ?? "") ? 0 : 86_399_999)) && (after === undefined || sent >= after);
      })
      .reverse();
    const slice = matching.slice(page * pageSize, (page + 1) * pageSize);
    const uri = (p: number) => {
      const params = new URLSearchParams(Object.entries(query).filter(([k]) => k !== "Page" && k !== "PageSize") as [string, string][]);
      params.set("PageSize", String(pageSize));
      params.set("Page", String(p));
      return `/2010-04-01/Accounts/${req.params.AccountSid}/Messages.json?${params.toString()}`;
    };
    const hasNext = (page + 1) * pageSize < matching.length;
    res.json({
      messages: slice,
      start: page * pageSize,
      end: page * pageSize + Math.max(slice.length - 1, 0),
      page,
      page_size: pageSize,
      uri: uri(page),
      first_page_uri: uri(0),
      next_page_uri: hasNext ? uri(page + 1) : null,
      previous_page_uri: page > 0 ? uri(page - 1) : null,
    });
  });
  standIn.app.get(`${api}/Messages/:sid.json`, (req, res) => {
    authenticate(req);
    const message = messages.find((m) => m.sid === req.params.sid && m.account_sid === req.params.AccountSid);
    if (!message) throw new TwilioError(404, 20404, `The requested resource ${req.path} was not found`);
    res.json(message);
  });
  standIn.app.use((error: unknown, _req: Request, res: Response, next: (e: unknown) => void) => {
    if (error instanceof TwilioError) res.status(error.status).json(twilioErrorBody(error.status, error.code, error.message));
    else next(error);
  });
  return {
    ...(await serve(standIn, appOptions, options)),
    messages,
    accountSid,
    authToken,
    setInboundWebhookUrl: (url) => void (inboundUrl = url),
    simulateInbound,
  };
};
