/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), with the flags that work
 * on these machines and a fresh profile per launch, in German locale and Berlin time.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";

export const CHROMIUM = process.env.ASKPROAI_CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
  "--lang=de-DE",
];

/** Fails the suite with the fix in the message: a desktop test without a browser proves nothing. */
export const requireChromium = () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the desktop renderer tests need it. ` +
        "Install it with `apt-get update && apt-get install -y chromium` (CI's .ci/run does this when it is missing).",
    );
  }
};

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export const launchChromium = async (): Promise<Browser> => {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), "askproai-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    locale: "de-DE",
    // Chromium takes its own UI language (date fields, for one) from the environment.
    env: { ...process.env, LANG: "de_DE.UTF-8", LANGUAGE: "de" },
    timezoneId: "Europe/Berlin",
    viewport: { width: 1440, height: 900 },
  });
  // A missing element should fail a test in seconds, with the locator named, not at the test's timeout.
  context.setDefaultTimeout(10_000);
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
};
