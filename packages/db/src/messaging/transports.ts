/** The outside services messages go through, built once per worker from the configuration. */
import type { MessagingTransports } from "./deliver.js";
import { createMailer, type MailerOptions } from "./mailer.js";
import { createSmsGateway, type SmsGatewayOptions } from "./sms-gateway.js";

export const createMessagingTransports = (options: { sms?: SmsGatewayOptions | null; mail?: MailerOptions | null }): MessagingTransports & { close(): void } => {
  const mail = options.mail ? createMailer(options.mail) : null;
  return {
    sms: options.sms ? createSmsGateway(options.sms) : null,
    mail,
    close: () => mail?.close(),
  };
};
