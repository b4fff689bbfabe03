/**
 * Twilio's Messages API shapes (API version 2010-04-01): the message resource, its error body, and the
 * form fields of an inbound message webhook.
 */
import { randomBytes } from "node:crypto";

export const twilioSid = (prefix: "SM" | "MM" | "AC" | "MG"): string => prefix + randomBytes(16).toString("hex");

/** Twilio writes dates in RFC 2822, e.g. `Thu, 24 Aug 2023 05:01:45 +0000`. */
export const rfc2822 = (ms: number): string => new Date(ms).toUTCString().replace("GMT", "+0000");

export interface TwilioMessage {
  account_sid: string;
  api_version: "2010-04-01";
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: "outbound-api" | "inbound";
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: "accepted" | "queued" | "sent" | "delivered" | "received" | "failed";
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

/** A GSM-7 message holds 160 characters alone or 153 per part; UCS-2 (any other character) 70 or 67. */
export const segmentsOf = (body: string): number => {
  const gsm = /^[\n\r !"#$%&'()*+,\-./0-9:;<=>?@A-Z[\\\]^_a-z{|}~£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉÄÖÑÜ§¿äöñüà€]*$/.test(body);
  const [single, part] = gsm ? [160, 153] : [70, 67];
  return body.length <= single ? 1 : Math.ceil(body.length / part);
};

export const buildMessage = (fields: { accountSid: string; to: string; from: string | null; messagingServiceSid: string | null; body: string; now: number }): TwilioMessage => {
  const sid = twilioSid("SM");
  const date = rfc2822(fields.now);
  return {
    account_sid: fields.accountSid,
    api_version: "2010-04-01",
    body: fields.body,
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from: fields.from,
    messaging_service_sid: fields.messagingServiceSid,
    num_media: "0",
    num_segments: String(segmentsOf(fields.body)),
    price: null,
    price_unit: "USD",
    sid,
    // Twilio answers `accepted` when only a messaging service was given (it picks the sender later).
    status: fields.from ? "queued" : "accepted",
    subresource_uris: { media: `/2010-04-01/Accounts/${fields.accountSid}/Messages/${sid}/Media.json` },
    to: fields.to,
    uri: `/2010-04-01/Accounts/${fields.accountSid}/Messages/${sid}.json`,
  };
};

export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export const twilioErrorBody = (status: number, code: number, message: string) => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

/** Generic failures (injected 5xx, 429, unknown routes) with Twilio's codes for them. */
export const twilioGenericError = (status: number, message: string) =>
  twilioErrorBody(status, status === 404 ? 20404 : status === 429 ? 20429 : status >= 500 ? 20500 : 20001, message);
