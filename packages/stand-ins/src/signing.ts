/**
 * Signatures exactly as the real senders make them (the contract's webhook table), for tests and scripts
 * that build deliveries. Every signer is the one definition beside its production verifier
 * (`@askproai/shared/server`), re-exported here so tests find every signer in one place.
 */
export {
  /** `stripe-signature` header: `t=<unix s>,v1=hex(HMAC-SHA256(secret, "<t>.<rawBody>"))`. */
  signStripe,
  /** `x-retell-signature` header: `v=<unix ms>,d=hex(HMAC-SHA256(apiKey, rawBody + <unix ms>))`. */
  signRetell,
  /** `x-cal-signature-256` header: hex(HMAC-SHA256(secret, rawBody)), no timestamp. */
  signCalcom,
  /** `X-Twilio-Signature` header: base64(HMAC-SHA1(authToken, url + sorted name+value pairs)). */
  signTwilio,
} from "@askproai/shared/server";
