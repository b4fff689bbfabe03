import { pino, type DestinationStream, type Logger } from "pino";

/**
 * Structured JSON logs. Secrets, tokens and personal data are redacted at the source: whatever a
 * handler logs by mistake under these keys never reaches the output.
 */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-retell-signature"]',
  'req.headers["x-cal-signature-256"]',
  'req.headers["stripe-signature"]',
  "password",
  "*.password",
  "token",
  "*.token",
  "phone",
  "*.phone",
  "*.*.phone",
  "*.customer",
  "email",
  "*.email",
];

/** `destination`: stdout by default (tests read what a process logs from a stream of their own). */
export const createLogger = (opts: { level: string; service: string }, destination?: DestinationStream): Logger =>
  pino(
    {
      level: opts.level,
      base: { service: opts.service },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
