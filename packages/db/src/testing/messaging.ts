/**
 * Stand-ins for the SMS gateway and the mail server over real HTTP/SMTP, the production clients
 * pointed at them, and a log that keeps every line a domain operation writes (to prove what is not in it).
 */
import { startSmsStandIn, startSmtpCatcher, type SmsStandIn, type SmtpCatcher } from "@askproai/stand-ins";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { OperationLog } from "../context.js";
import { createMessagingTransports } from "../messaging/transports.js";

export const SMS_FROM = "+493023125000";

export const useMessagingStandIns = (options: { timeoutMs?: number } = {}) => {
  const env = {} as { sms: SmsStandIn; smtp: SmtpCatcher; transports: ReturnType<typeof createMessagingTransports> };
  beforeAll(async () => {
    env.sms = await startSmsStandIn();
    env.smtp = await startSmtpCatcher();
    env.transports = createMessagingTransports({
      sms: { baseUrl: env.sms.url, accountSid: env.sms.accountSid, authToken: env.sms.authToken, from: SMS_FROM, timeoutMs: options.timeoutMs ?? 2_000 },
      mail: { url: env.smtp.url, from: "Salon <termine@salon.example>", timeoutMs: options.timeoutMs ?? 2_000 },
    });
  });
  beforeEach(() => {
    env.sms.reset();
    env.smtp.reset();
  });
  afterAll(async () => {
    env.transports?.close();
    await env.sms?.close();
    await env.smtp?.close();
  });
  return env;
};

/** An OperationLog that keeps every line as the JSON a log shipper would see. */
export const capturingLog = () => {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg?: string) => void lines.push(JSON.stringify({ level, ...obj, msg }));
  const log: OperationLog = { info: write("info"), warn: write("warn"), error: write("error") };
  return { lines, log };
};
