import { defineConfig } from "vitest/config";
import { testConfig } from "../../vitest.shared.js";

export default defineConfig({
  test: testConfig("desktop", {
    // Browser tests share one Chromium per file and the machine has two cores: one file at a time.
    fileParallelism: false,
    testTimeout: 60_000,
  }),
});
