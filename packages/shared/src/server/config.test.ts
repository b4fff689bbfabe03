import { describe, expect, it } from "vitest";
import { ConfigError, DEMO_SECRETS, loadConfig } from "./config.js";

describe("loadConfig", () => {
  it("uses defaults and demo secrets outside production", () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBe("postgresql://postgres@127.0.0.1:5432/askproai");
    expect(config.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(config.CALCOM_API_URL).toBe("https://api.cal.com");
    expect(config.RETELL_API_KEY).toBe(DEMO_SECRETS.RETELL_API_KEY);
    expect(config.usingDemoSecrets).toBe(true);
    expect(config.SECRETS_KEY).toBe(DEMO_SECRETS.SECRETS_KEY);
    expect(config.calcomApiUrlDefaulted).toBe(true);
    expect(loadConfig({ CALCOM_API_URL: "http://127.0.0.1:4010" }).calcomApiUrlDefaulted).toBe(false);
  });

  it("derives the Redis prefix from the database name unless REDIS_PREFIX is set", () => {
    expect(loadConfig({}).REDIS_PREFIX).toBe("askproai:askproai:");
    expect(loadConfig({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/salon_staging" }).REDIS_PREFIX).toBe("askproai:salon_staging:");
    expect(loadConfig({ DATABASE_URL: "postgresql://u@db:5432/my%3Adb?sslmode=require" }).REDIS_PREFIX).toBe("askproai:my_db:");
    expect(loadConfig({ DATABASE_URL: "postgresql://u@db:5432/a", REDIS_PREFIX: "shared:" }).REDIS_PREFIX).toBe("shared:");
    // an empty variable counts as unset
    expect(loadConfig({ REDIS_PREFIX: "" }).REDIS_PREFIX).toBe("askproai:askproai:");
  });

  it("stops in production naming every missing secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "x" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "x" })).toThrow(/CALCOM_WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "", CALCOM_WEBHOOK_SECRET: "a", STRIPE_WEBHOOK_SECRET: "b" })).toThrow(/RETELL_API_KEY/);
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "r", CALCOM_WEBHOOK_SECRET: "a", STRIPE_WEBHOOK_SECRET: "b", SMS_AUTH_TOKEN: "t" })).toThrow(/: SECRETS_KEY$/);
    expect(() => loadConfig({ SECRETS_KEY: "short" })).toThrow(/SECRETS_KEY: must be at least 16 characters/);
  });

  const messaging = {
    SMS_API_URL: "https://api.twilio.com",
    SMS_ACCOUNT_SID: `AC${"1".repeat(32)}`,
    SMS_AUTH_TOKEN: "t",
    SMS_FROM: "+493012345678",
    SMTP_URL: "smtp://mail.example.org:587",
    SMTP_FROM: "Salon <termine@salon.example>",
  };

  it("stops in production naming every missing messaging setting", () => {
    const secrets = { NODE_ENV: "production", RETELL_API_KEY: "r", CALCOM_WEBHOOK_SECRET: "c", STRIPE_WEBHOOK_SECRET: "s", SMS_AUTH_TOKEN: "t", SECRETS_KEY: "k".repeat(32) };
    expect(() => loadConfig(secrets)).toThrow(/SMS_API_URL, SMS_ACCOUNT_SID, SMS_FROM, SMTP_URL, SMTP_FROM/);
    expect(() => loadConfig({ ...secrets, ...messaging, SMTP_URL: "" })).toThrow(/messaging setting\(s\) in production: SMTP_URL$/);
  });

  it("leaves the gateways unset outside production (npm start fills them with stand-ins) and checks senders", () => {
    const config = loadConfig({});
    expect(config.SMS_API_URL).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SMS_AUTH_TOKEN).toBe(DEMO_SECRETS.SMS_AUTH_TOKEN);
    expect(config.SMS_FROM).toMatch(/^\+49/);
    expect(() => loadConfig({ SMS_FROM: "0301234" })).toThrow(/SMS_FROM/);
    expect(() => loadConfig({ SMS_ACCOUNT_SID: "AC123" })).toThrow(/SMS_ACCOUNT_SID/);
  });

  it("accepts production with every secret set", () => {
    const config = loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "r", CALCOM_WEBHOOK_SECRET: "c", STRIPE_WEBHOOK_SECRET: "s", SECRETS_KEY: "k".repeat(32), ...messaging });
    expect(config.usingDemoSecrets).toBe(false);
    expect(config.STRIPE_WEBHOOK_SECRET).toBe("s");
  });

  it("names a malformed variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });
});
