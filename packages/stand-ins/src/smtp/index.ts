/**
 * `startSmtpCatcher`: a real SMTP server (the `smtp-server` package) that accepts any login or none,
 * keeps every mail parsed by `mailparser`, and shows them over HTTP. It can refuse mail with a 4xx reply
 * for a number of messages or a time, as a mail relay that is temporarily unavailable does.
 */
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type AddressObject, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { z } from "zod";
import { htmlTable } from "../html.js";
import { type ListenOptions, type StandInAppOptions, controlInput, createStandInApp, listRoutes, pushBounded, serve } from "../server.js";

export interface CaughtMail {
  id: number;
  receivedAt: string;
  /** SMTP envelope: who the client said it sends from and to (Bcc recipients appear only here). */
  envelope: { from: string | null; to: string[] };
  /** Login the client used, if any. */
  user: string | null;
  from: string;
  to: string;
  cc: string;
  subject: string;
  text: string;
  html: string | null;
  messageId: string | null;
  headers: Record<string, unknown>;
}

export const smtpRejectSchema = z.object({
  /** SMTP reply code: 421 (service not available) or 450/451/452 (try again later) by default 451. */
  code: z.number().int().min(400).max(599).default(451),
  message: z.string().max(200).default("Requested action aborted: local error in processing"),
  count: z.number().int().positive().optional(),
  durationMs: z.number().int().positive().optional(),
});
export type SmtpReject = z.input<typeof smtpRejectSchema>;

export interface SmtpCatcherOptions extends ListenOptions {
  /** Port of the SMTP side (0 = any free one); `port`/`host` are the HTTP side's. */
  smtpPort?: number;
}

export interface SmtpCatcher {
  /** `smtp://127.0.0.1:<port>`: what SMTP_URL should say. */
  url: string;
  smtpPort: number;
  /** The HTTP side: `/` (HTML list), `/__standin/messages` (JSON), `/__standin/reject`. */
  httpUrl: string;
  messages: CaughtMail[];
  /** Refuse MAIL FROM with a 4xx (or 5xx) reply, for `count` mails or `durationMs`, or until `accept()`. */
  reject(spec?: SmtpReject): void;
  accept(): void;
  reset(): void;
  close(): Promise<void>;
}

const addressText = (a: AddressObject | AddressObject[] | undefined): string => (a === undefined ? "" : Array.isArray(a) ? a.map((x) => x.text).join(", ") : a.text);

export const startSmtpCatcher = async (options: SmtpCatcherOptions = {}): Promise<SmtpCatcher> => {
  const messages: CaughtMail[] = [];
  let nextId = 1;
  let rejection: (z.infer<typeof smtpRejectSchema> & { since: number; used: number }) | undefined;

  const activeRejection = () => {
    if (!rejection) return undefined;
    const expired = (rejection.count !== undefined && rejection.used >= rejection.count) || (rejection.durationMs !== undefined && Date.now() - rejection.since >= rejection.durationMs);
    if (expired) rejection = undefined;
    return rejection;
  };

  const smtp = new SMTPServer({
    secure: false,
    hideSTARTTLS: true,
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    banner: "AskProAI SMTP catcher (development stand-in)",
    logger: false,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? "anonymous" }),
    onMailFrom: (_address, _session, callback) => {
      const refusal = activeRejection();
      if (!refusal) return callback();
      refusal.used += 1;
      callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
    },
    onData: (stream, session, callback) => {
      simpleParser(stream)
        .then((parsed) => {
          pushBounded(messages, {
            id: nextId++,
            receivedAt: new Date().toISOString(),
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null, to: session.envelope.rcptTo.map((r) => r.address) },
            user: typeof session.user === "string" ? session.user : null,
            from: addressText(parsed.from),
            to: addressText(parsed.to),
            cc: addressText(parsed.cc),
            subject: parsed.subject ?? "",
            text: parsed.text ?? "",
            html: parsed.html === false ? null : (parsed.html ?? null),
            messageId: parsed.messageId ?? null,
            headers: Object.fromEntries(parsed.headers),
          });
          callback();
        })
        .catch((error: Error) => callback(Object.assign(error, { responseCode: 451 })));
    },
  });
  smtp.on("error", () => undefined); // a client that hangs up mid-session must not take the process down
  smtp.listen(options.smtpPort ?? 0, options.host ?? "127.0.0.1");
  await once(smtp.server, "listening");
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const reject = (spec: SmtpReject = {}) => {
    rejection = { ...smtpRejectSchema.parse(spec), since: Date.now(), used: 0 };
  };
  const reset = () => {
    messages.length = 0;
    rejection = undefined;
  };
  const appOptions: StandInAppOptions = {
    errorBody: (status: number, message: string) => ({ error: message, status }),
    reset,
    pages: (app) => {
      app.get("/", (_req, res) => {
        const rows = [...messages].reverse().map((m) => [m.receivedAt, m.from, m.to, m.subject, m.text]);
        res.type("html").send(htmlTable("SMTP catcher", ["received", "from", "to", "subject", "text"], rows, `SMTP on port ${smtpPort}; JSON: GET /__standin/messages`));
      });
    },
    control: (router) => {
      listRoutes(router, "messages", messages);
      router.post("/reject", (req, res) => {
        reject(controlInput(smtpRejectSchema, req.body));
        res.status(201).json(rejection);
      });
      router.delete("/reject", (_req, res) => {
        rejection = undefined;
        res.status(204).end();
      });
    },
  };
  const standIn = createStandInApp(appOptions);
  const http = await serve(standIn, appOptions, options);
  const host = options.host ?? "127.0.0.1";

  return {
    url: `smtp://${host.includes(":") ? `[${host}]` : host}:${smtpPort}`,
    smtpPort,
    httpUrl: http.url,
    messages,
    reject,
    accept: () => void (rejection = undefined),
    reset: http.reset,
    close: async () => {
      await http.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    },
  };
};
