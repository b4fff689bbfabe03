/**
 * E-mail over SMTP (nodemailer, `SMTP_URL`). Each mail carries `Message-ID: <message id@askproai>`, so a
 * receiving system can tell a resend from a new mail. SMTP cannot be asked afterwards whether a mail
 * arrived, so an outcome lost after the message data went out is reported as unknown.
 */
import nodemailer from "nodemailer";
import type { OutsideCall, SendOutcome } from "./outcome.js";
import { redactEmail, redactText } from "../ops/redact.js";

export interface MailerOptions {
  url: string;
  from: string;
  timeoutMs?: number;
}

export interface Mail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface Mailer {
  send(mail: Mail): Promise<{ outcome: SendOutcome; call: OutsideCall }>;
  close(): void;
}

/** SMTP stages before the message data: a failure there means the server never took the mail. */
const BEFORE_DATA = /^(CONN|EHLO|HELO|LHLO|STARTTLS|AUTH.*|MAIL FROM|RCPT TO)$/i;

export const createMailer = (options: MailerOptions): Mailer => {
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({ url: options.url, connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: timeout });
  const endpoint = (() => {
    const url = new URL(options.url);
    return `${url.protocol}//${url.hostname}:${url.port || "25"}`;
  })();
  return {
    async send(mail) {
      const started = Date.now();
      const call = (statusCode: number | null, responseBody: Record<string, unknown> | null, error: string | null): OutsideCall => ({
        service: "email", method: "SMTP", endpoint, statusCode, durationMs: Date.now() - started,
        requestBody: { to: redactEmail(mail.to), subjectChars: mail.subject.length, textChars: mail.text.length }, responseBody, error,
      });
      try {
        const info = await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
        const code = Number(/^(\d{3})/.exec(info.response ?? "")?.[1] ?? 250);
        return { outcome: { kind: "sent", providerId: info.messageId }, call: call(code, { accepted: info.accepted.length }, null) };
      } catch (error) {
        const e = error as { responseCode?: number; command?: string; code?: string; message?: string };
        const detail = redactText(`${e.responseCode ?? e.code ?? "error"}${e.command ? ` at ${e.command}` : ""}: ${e.message ?? ""}`);
        const result = call(e.responseCode ?? null, null, detail);
        if (e.responseCode !== undefined) {
          return { outcome: e.responseCode >= 500 ? { kind: "rejected", detail } : { kind: "not_sent", detail }, call: result };
        }
        if (e.command === undefined || BEFORE_DATA.test(e.command)) {
          return { outcome: { kind: "not_sent", detail }, call: result };
        }
        return { outcome: { kind: "unknown", detail }, call: result };
      }
    },
    close: () => transport.close(),
  };
};
