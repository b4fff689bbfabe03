import { defineConfig } from "vitest/config";
import { testConfig } from "../../vitest.shared.js";

// Pure code: no database, so no template-database globalSetup.
export default defineConfig({ test: testConfig("shared", { globalSetup: [] }) });
