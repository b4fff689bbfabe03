import { z } from "zod";

/**
 * Configuration shared by the API and the worker, validated once at boot. In production a missing
 * secret stops start-up with a message naming it; elsewhere the demo values below are used (and
 * printed at start-up so a developer can sign test requests).
 */
export const DEMO_SECRETS = {
  RETELL_API_KEY: "demo-retell-api-key",
  CALCOM_WEBHOOK_SECRET: "demo-calcom-webhook-secret",
  STRIPE_WEBHOOK_SECRET: "whsec_demo_stripe_webhook_secret",
  // The SMS stand-in's token: it signs the stand-in's inbound replies, which POST /webhooks/sms verifies.
  SMS_AUTH_TOKEN: "standin_twilio_auth_token",
  // Encrypts per-company credentials at rest (Cal.com API keys); the demo data are encrypted with this one.
  SECRETS_KEY: "demo-secrets-key-not-for-production",
} as const;
export const SECRET_NAMES = Object.keys(DEMO_SECRETS) as (keyof typeof DEMO_SECRETS)[];

/**
 * Where customer messages go. Production needs all of them; outside production an unset `SMS_API_URL` /
 * `SMTP_URL` means "no gateway" (the worker then records the message as skipped), and `npm start`
 * fills them with local stand-ins. The account id and sender default to the stand-in's demo values.
 */
export const MESSAGING_REQUIRED_IN_PRODUCTION = ["SMS_API_URL", "SMS_ACCOUNT_SID", "SMS_FROM", "SMTP_URL", "SMTP_FROM"] as const;
export const DEMO_SMS_ACCOUNT_SID = "AC00000000000000000000000000000000";

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (login limits): "false" (default:
   * none, the socket's address counts), "loopback", a hop count, or comma-separated addresses/CIDRs.
   */
  TRUST_PROXY: z.string().default("false"),
  /** Browser origins allowed to call the API (CORS), comma-separated; the desktop app's by default. */
  CORS_ORIGINS: z.string().default("http://127.0.0.1:5173,http://localhost:5173,app://askproai"),
  /** Request budgets: procedure calls per second per session and per company (a batch's calls each count). */
  BUDGET_SESSION_PER_SECOND: z.coerce.number().int().min(1).default(30),
  BUDGET_COMPANY_PER_SECOND: z.coerce.number().int().min(1).default(120),
  /** API processes sharing the port (node:cluster); the worker is a separate process that scales on its own. */
  API_PROCESSES: z.coerce.number().int().min(1).max(64).default(1),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; when unset, only loopback clients may read it. */
  METRICS_TOKEN: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
  /** The worker's own small HTTP server for /metrics and /readyz (0 = off). */
  WORKER_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_HTTP_HOST: z.string().default("127.0.0.1"),
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/askproai"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  /** Dispatched outbox rows are kept this many days (the debug timeline shows them), then pruned by the worker. */
  OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Unset: derived from the database name (defaultRedisPrefix), so deployments on different databases never share keys. */
  REDIS_PREFIX: z.string().max(200).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** How long an API process may answer a checked session from memory (emptied at once by any change; 0: never). */
  SESSION_CACHE_TTL_MS: z.coerce.number().int().min(0).max(300_000).default(30_000),
  CALCOM_API_URL: z.url().default("https://api.cal.com"),
  RETELL_API_KEY: z.string().min(1).optional(),
  CALCOM_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Key material for per-company credentials at rest (AES-256-GCM over its SHA-256); at least 16 characters. */
  SECRETS_KEY: z.string().min(16, { message: "must be at least 16 characters" }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Stripe secret key (`sk_…`): when set, billing re-fetches the subscription on every event; unset, events are ordered by `created`. */
  STRIPE_API_KEY: z.string().regex(/^(sk|rk)_\w+$/, "must be a Stripe secret or restricted key (sk_… or rk_…)").optional(),
  /** Stripe API base URL (the local stand-in outside production). */
  STRIPE_API_URL: z.url().default("https://api.stripe.com"),
  /** Processed webhook events are deleted after this many days (the senders' retries are long over). */
  WEBHOOK_RETENTION_DAYS: z.coerce.number().min(1).max(3650).default(30),
  /** Twilio Messages API base URL (`https://api.twilio.com` in production). */
  SMS_API_URL: z.url().optional(),
  SMS_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must be a Twilio account SID (AC + 32 hex digits)").optional(),
  SMS_AUTH_TOKEN: z.string().min(1).optional(),
  /** Sender: an E.164 number (customers can reply: the waitlist needs it) or a messaging service SID `MG…`. */
  SMS_FROM: z.string().regex(/^(\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32})$/, "must be an E.164 number or a messaging service SID (MG…)").optional(),
  SMTP_URL: z.url().optional(),
  SMTP_FROM: z.string().min(3).optional(),
  /** The URL the outside world reaches this API at (signed SMS replies are checked against it); default: the request's own. */
  PUBLIC_BASE_URL: z.url().optional(),
});

/**
 * The Redis key prefix of a deployment that sets none: `askproai:<database name>:`. Two `npm start` on
 * two databases and one Redis then keep their queues, rate limits and caches apart, while every
 * process of one deployment (same DATABASE_URL) shares them.
 */
export const defaultRedisPrefix = (databaseUrl: string) => {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || "postgres";
  // Redis keys may hold anything, but a readable prefix without the separator keeps deployments apart.
  return `askproai:${name.replace(/[^A-Za-z0-9_.-]/g, "_")}:`;
};

export type AppConfig = Omit<z.infer<typeof schema>, (typeof SECRET_NAMES)[number] | "SMS_ACCOUNT_SID" | "SMS_FROM" | "SMTP_FROM" | "REDIS_PREFIX"> & {
  [K in (typeof SECRET_NAMES)[number]]: string;
} & {
  REDIS_PREFIX: string;
  SMS_ACCOUNT_SID: string;
  SMS_FROM: string;
  SMTP_FROM: string;
  usingDemoSecrets: boolean;
  /** CALCOM_API_URL was not given (the default, Cal.com's own, applies): `npm start` outside production serves the stand-in instead. */
  calcomApiUrlDefaulted: boolean;
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const loadConfig = (source: Record<string, string | undefined> = process.env): AppConfig => {
  // Empty strings count as unset (a blank line in an .env file must not become a secret).
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  const env = parsed.data;
  const missing = SECRET_NAMES.filter((name) => !env[name]);
  if (env.NODE_ENV === "production" && missing.length > 0) {
    throw new ConfigError(`missing required secret(s) in production: ${missing.join(", ")}`);
  }
  const unsetMessaging = MESSAGING_REQUIRED_IN_PRODUCTION.filter((name) => !env[name]);
  if (env.NODE_ENV === "production" && unsetMessaging.length > 0) {
    throw new ConfigError(`missing required messaging setting(s) in production: ${unsetMessaging.join(", ")}`);
  }
  return {
    ...env,
    REDIS_PREFIX: env.REDIS_PREFIX ?? defaultRedisPrefix(env.DATABASE_URL),
    RETELL_API_KEY: env.RETELL_API_KEY ?? DEMO_SECRETS.RETELL_API_KEY,
    CALCOM_WEBHOOK_SECRET: env.CALCOM_WEBHOOK_SECRET ?? DEMO_SECRETS.CALCOM_WEBHOOK_SECRET,
    STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET ?? DEMO_SECRETS.STRIPE_WEBHOOK_SECRET,
    SMS_AUTH_TOKEN: env.SMS_AUTH_TOKEN ?? DEMO_SECRETS.SMS_AUTH_TOKEN,
    SECRETS_KEY: env.SECRETS_KEY ?? DEMO_SECRETS.SECRETS_KEY,
    calcomApiUrlDefaulted: cleaned.CALCOM_API_URL === undefined,
    SMS_ACCOUNT_SID: env.SMS_ACCOUNT_SID ?? DEMO_SMS_ACCOUNT_SID,
    SMS_FROM: env.SMS_FROM ?? "+493023125000",
    SMTP_FROM: env.SMTP_FROM ?? "AskProAI Termine <termine@askproai.example>",
    usingDemoSecrets: missing.length > 0,
  };
};

/** Where people reach the API from outside (invitation links): PUBLIC_BASE_URL, else this machine's address. */
export const publicBaseUrlOf = (config: Pick<AppConfig, "PUBLIC_BASE_URL" | "HOST" | "PORT">) =>
  config.PUBLIC_BASE_URL ?? `http://${config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST}:${config.PORT}`;
