/** What one attempt to hand a message to an outside service came to, and what was said about it. */

export type SendOutcome =
  /** Accepted by the gateway. */
  | { kind: "sent"; providerId: string }
  /** Refused for good (bad number, unsubscribed, bad credentials): sending again cannot help. */
  | { kind: "rejected"; detail: string }
  /** Certainly not accepted (no connection, rate limited): safe to send again. */
  | { kind: "not_sent"; detail: string; retryAfterMs?: number }
  /** Maybe accepted, maybe not (timeout or reset after the request went out, a 5xx). */
  | { kind: "unknown"; detail: string };

export type { OutsideCall } from "../ops/outside-calls.js";
