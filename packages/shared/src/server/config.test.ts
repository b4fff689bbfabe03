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
  });

  it("stops in production naming every missing secret", () => {
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "x" })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "x" })).toThrow(/CALCOM_WEBHOOK_SECRET, STRIPE_WEBHOOK_SECRET/);
    expect(() => loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "", CALCOM_WEBHOOK_SECRET: "a", STRIPE_WEBHOOK_SECRET: "b" })).toThrow(/RETELL_API_KEY/);
  });

  it("accepts production with every secret set", () => {
    const config = loadConfig({ NODE_ENV: "production", RETELL_API_KEY: "r", CALCOM_WEBHOOK_SECRET: "c", STRIPE_WEBHOOK_SECRET: "s" });
    expect(config.usingDemoSecrets).toBe(false);
    expect(config.STRIPE_WEBHOOK_SECRET).toBe("s");
  });

  it("names a malformed variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL/);
  });
});
