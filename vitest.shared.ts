/**
 * Test settings every package shares: integration tests get a migrated template database through the
 * db package's globalSetup; when `npm test` asks for it (ASKPROAI_TEST_REPORT_DIR), each package also
 * writes a JSON report that scripts/test.mjs sums into the closing `Tests: N passed, N failed` line.
 */
import { fileURLToPath } from "node:url";
import type { ViteUserConfig } from "vitest/config";

type TestOptions = NonNullable<ViteUserConfig["test"]>;

export const testConfig = (name: string, overrides: TestOptions = {}): TestOptions => {
  const reportDir = process.env.ASKPROAI_TEST_REPORT_DIR;
  return {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    globalSetup: [fileURLToPath(new URL("./packages/db/src/testing/global-setup.ts", import.meta.url))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: reportDir ? ["default", ["json", { outputFile: `${reportDir}/${name}.json` }]] : ["default"],
    ...overrides,
  };
};
