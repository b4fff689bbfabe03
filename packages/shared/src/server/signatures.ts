/**
 * Signatures of the outside services that call us, verified over the exact raw bytes received, before
 * anything is parsed or stored. Synchronous (node:crypto), so a verifier can never be forgotten un-awaited
 * (the Retell SDK's async `verify` is a known trap: see shared/notes/integrations.md). Digests are
 * compared in constant time. Each verifier answers why it refused, for logs and metrics (never the
 * secret or the signature itself).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureVerdict = { ok: true; timestamp?: number } | { ok: false; reason: "missing" | "malformed" | "stale" | "mismatch" };

const hmacHex = (secret: string, ...parts: (string | Buffer)[]) => {
  const mac = createHmac("sha256", secret);
  for (const part of parts) mac.update(part);
  return mac.digest("hex");
};

/** Constant-time equality of two lowercase hex digests (false for any length or charset mismatch). */
const sameHex = (expected: string, given: string) => {
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(expected, "hex"), Buffer.from(given, "hex"));
};

/** Retell: `x-retell-signature: v=<unix ms>,d=<hex(HMAC-SHA256(apiKey, rawBody + ms))>`, ±5 minutes. */
export const RETELL_TOLERANCE_MS = 5 * 60_000;

export const signRetell = (rawBody: string | Buffer, apiKey: string, timestampMs = Date.now()) =>
  `v=${timestampMs},d=${hmacHex(apiKey, rawBody, String(timestampMs))}`;

export const verifyRetell = (rawBody: Buffer, header: string | undefined, apiKey: string, now = Date.now()): SignatureVerdict => {
  if (!header) return { ok: false, reason: "missing" };
  const match = /^v=(\d{1,16}),d=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return { ok: false, reason: "malformed" };
  const timestamp = Number(match[1]);
  if (Math.abs(now - timestamp) > RETELL_TOLERANCE_MS) return { ok: false, reason: "stale" };
  return sameHex(hmacHex(apiKey, rawBody, match[1]!), match[2]!.toLowerCase()) ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
};

/** Cal.com: `x-cal-signature-256: <hex(HMAC-SHA256(secret, rawBody))>`; no timestamp (deduplicate by event id). */
export const signCalcom = (rawBody: string | Buffer, secret: string) => hmacHex(secret, rawBody);

export const verifyCalcom = (rawBody: Buffer, header: string | undefined, secret: string): SignatureVerdict => {
  if (!header) return { ok: false, reason: "missing" };
  const given = header.trim().toLowerCase();
  // A Cal.com webhook without a secret sends this literal: never accept it.
  if (!/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: "malformed" };
  return sameHex(hmacHex(secret, rawBody), given) ? { ok: true } : { ok: false, reason: "mismatch" };
};

/** Stripe: `stripe-signature: t=<unix s>,v1=<hex>[,v1=…]`, HMAC over "<t>.<rawBody>", any v1 may match, 300 s. */
export const STRIPE_TOLERANCE_S = 300;

export const signStripe = (rawBody: string | Buffer, secret: string, timestampS = Math.floor(Date.now() / 1000)) =>
  `t=${timestampS},v1=${hmacHex(secret, `${timestampS}.`, rawBody)}`;

export const verifyStripe = (rawBody: Buffer, header: string | undefined, secret: string, now = Date.now()): SignatureVerdict => {
  if (!header) return { ok: false, reason: "missing" };
  let t: string | undefined;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const [key, value, ...rest] = part.trim().split("=");
    if (!key || value === undefined || rest.length > 0) return { ok: false, reason: "malformed" };
    if (key === "t") t = value;
    else if (key === "v1") v1.push(value.toLowerCase());
  }
  if (!t || !/^\d{1,12}$/.test(t) || v1.length === 0 || v1.length > 8) return { ok: false, reason: "malformed" };
  const timestamp = Number(t) * 1000;
  // Stripe itself checks only the past; a timestamp far in the future is as suspicious here.
  if (Math.abs(now - timestamp) > STRIPE_TOLERANCE_S * 1000) return { ok: false, reason: "stale" };
  const expected = hmacHex(secret, `${t}.`, rawBody);
  // Compare against every v1 (no early exit), so timing does not tell which one matched.
  let matched = false;
  for (const given of v1) matched = sameHex(expected, given) || matched;
  return matched ? { ok: true, timestamp } : { ok: false, reason: "mismatch" };
};

/**
 * Twilio: `X-Twilio-Signature: base64(HMAC-SHA1(authToken, url + every POST parameter's name and value,
 * sorted by name, concatenated without separators))`. The URL is the exact one Twilio posted to, query
 * included; no timestamp is signed (Twilio's idempotency token and the message sid deduplicate).
 */
export const signTwilio = (url: string, params: Record<string, string>, authToken: string): string => {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
};

export const verifyTwilio = (url: string, params: Record<string, string>, header: string | undefined, authToken: string): SignatureVerdict => {
  if (!header) return { ok: false, reason: "missing" };
  const given = header.trim();
  // 20 bytes of SHA-1 in base64 are exactly 28 characters.
  if (!/^[A-Za-z0-9+/]{27}=$/.test(given)) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(signTwilio(url, params, authToken), "base64");
  return timingSafeEqual(expected, Buffer.from(given, "base64")) ? { ok: true } : { ok: false, reason: "mismatch" };
};
