/**
 * Signatures exactly as the real senders make them (the contract's webhook table), for tests and scripts
 * that build deliveries. Production code verifies with its own code; these are the reference they must
 * agree with. Each is checked against the senders' published test vectors in signing.test.ts.
 */
import { createHmac } from "node:crypto";

type Body = string | Buffer;

/** `stripe-signature` header: `t=<unix s>,v1=hex(HMAC-SHA256(secret, "<t>.<rawBody>"))`. */
export const signStripe = (payload: Body, secret: string, t: number = Math.floor(Date.now() / 1000)): string =>
  `t=${t},v1=${createHmac("sha256", secret).update(`${t}.`).update(payload).digest("hex")}`;

/** `x-retell-signature` header: `v=<unix ms>,d=hex(HMAC-SHA256(apiKey, rawBody + <unix ms>))`. */
export const signRetell = (body: Body, apiKey: string, ms: number = Date.now()): string =>
  `v=${ms},d=${createHmac("sha256", apiKey).update(body).update(String(ms)).digest("hex")}`;

/** `x-cal-signature-256` header: hex(HMAC-SHA256(secret, rawBody)), no timestamp. */
export const signCalcom = (body: Body, secret: string): string => createHmac("sha256", secret).update(body).digest("hex");

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
