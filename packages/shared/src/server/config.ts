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
} as const;
export const SECRET_NAMES = Object.keys(DEMO_SECRETS) as (keyof typeof DEMO_SECRETS)[];

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
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
  REDIS_PREFIX: z.string().default("askproai:"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  CALCOM_API_URL: z.url().default("https://api.cal.com"),
  RETELL_API_KEY: z.string().min(1).optional(),
  CALCOM_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
});

export type AppConfig = Omit<z.infer<typeof schema>, (typeof SECRET_NAMES)[number]> & {
  [K in (typeof SECRET_NAMES)[number]]: string;
} & { usingDemoSecrets: boolean };

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
  return {
    ...env,
    RETELL_API_KEY: env.RETELL_API_KEY ?? DEMO_SECRETS.RETELL_API_KEY,
    CALCOM_WEBHOOK_SECRET: env.CALCOM_WEBHOOK_SECRET ?? DEMO_SECRETS.CALCOM_WEBHOOK_SECRET,
    STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET ?? DEMO_SECRETS.STRIPE_WEBHOOK_SECRET,
    usingDemoSecrets: missing.length > 0,
  };
};
