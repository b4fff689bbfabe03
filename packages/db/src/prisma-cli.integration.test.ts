/** The Prisma CLI as `npm start` and `npm test` run it: migrations apply without noise to ignore. */
import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "./testing/index.js";

const run = promisify(execFile);
let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchDatabase();
});
afterAll(async () => scratch?.drop());

describe("prisma migrate deploy", () => {
  it("prints no warning about the schema's datasource url", { timeout: 60_000 }, async () => {
    const { stdout, stderr } = await run("npx", ["prisma", "migrate", "deploy"], {
      cwd: join(dirname(fileURLToPath(import.meta.url)), ".."),
      env: { ...process.env, DATABASE_URL: scratch.url },
    });
    const output = `${stdout}\n${stderr}`;
    expect(output).toContain("No pending migrations to apply");
    expect(output).not.toMatch(/WARNING|will NOT be used/);
  });
});
