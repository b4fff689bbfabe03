import { defineConfig } from "vitest/config";
import { testConfig } from "../../vitest.shared.js";

// Stand-ins keep everything in memory: no database, so no template-database globalSetup.
export default defineConfig({ test: testConfig("stand-ins", { globalSetup: [] }) });
