/**
 * Signatures exactly as the real senders make them (the contract's webhook table), for tests and scripts
 * that build deliveries. Retell, Cal.com and Stripe signing is the one definition beside the production
 * verifiers (`@askproai/shared/server`), re-exported here so tests find every signer in one place;
 * Twilio's lives here because only the SMS stand-in sends it.
 */
import { createHmac } from "node:crypto";

export {
  /** `stripe-signature` header: `t=<unix s>,v1=hex(HMAC-SHA256(secret, "<t>.<rawBody>"))`. */
  signStripe,
  /** `x-retell-signature` header: `v=<unix ms>,d=hex(HMAC-SHA256(apiKey, rawBody + <unix ms>))`. */
  signRetell,
  /** `x-cal-signature-256` header: hex(HMAC-SHA256(secret, rawBody)), no timestamp. */
  signCalcom,
} from "@askproai/shared/server";

/**
 * `X-Twilio-Signature` header of a form-encoded webhook: base64(HMAC-SHA1(authToken, url + every POST
 * parameter's name and value, sorted by name, concatenated without separators)).
 */
export const signTwilio = (url: string, params: Record<string, string>, authToken: string): string => {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
};
