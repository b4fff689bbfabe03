import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", "**/generated/**", "**/.turbo/**", "apps/desktop/out/**", "**/test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Typed rules: a promise returned from inside try/finally without await escapes the catch and can
    // surface as an unhandled rejection (fatal in Node 20) while the finally block is still awaiting.
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/return-await": ["error", "in-try-catch"],
      "@typescript-eslint/no-floating-promises": "error",
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
    },
  },
  {
    files: ["**/*.mjs", "scripts/**", "bench/**"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    // Configuration is read and validated in one module per package; nothing else reads the environment.
    files: ["apps/*/src/**/*.ts", "packages/*/src/**/*.ts"],
    ignores: ["packages/shared/src/server/config.ts", "packages/db/src/env.ts", "apps/desktop/src/main/config.ts", "**/*.test.ts", "**/testing/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "read configuration through the config module (packages/shared/src/server/config.ts)" }],
    },
  },
  {
    files: ["**/*.test.ts", "**/testing/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
  {
    // Clients take only the API's types: a value import would pull server code into a browser bundle.
    files: ["packages/client/src/**", "apps/desktop/src/**"],
    ignores: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { paths: [{ name: "@askproai/api", message: "import only types from the API (import type)", allowTypeImports: true }], patterns: [{ group: ["@askproai/db", "@askproai/db/*"], message: "the database is server code" }] },
      ],
    },
  },
);
