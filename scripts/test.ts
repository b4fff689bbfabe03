/**
 * `npm test`: one migrated template database for the whole run, every package's Vitest suite through
 * turbo (builds first, tests never cached), every scratch database dropped at the end, and a closing line
 * `Tests: N passed, N failed` summed from the packages' JSON reports.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_DB_PREFIX, adminUrl, createMigratedDatabase, dropDatabase, dropDatabasesWithPrefix, newRunId } from "@askproai/db/testing/databases";

const runPrefix = `${TEST_DB_PREFIX}${newRunId()}_`;
const template = `${runPrefix}template`;
const reportDir = mkdtempSync(join(tmpdir(), "askproai-test-reports-"));
const extraArgs = process.argv.slice(2);

const turbo = () =>
  new Promise<number>((resolve) => {
    // `test` depends on `build` (prisma generate), so this one turbo run generates the client once,
    // or takes it from turbo's cache; the test tasks themselves are never cached (turbo.json).
    const child = spawn("npx", ["turbo", "run", "test", "--continue", "--output-logs=full", ...extraArgs], {
      stdio: "inherit",
      env: {
        ...process.env,
        ASKPROAI_TEST_TEMPLATE_DB: template,
        ASKPROAI_TEST_RUN_PREFIX: runPrefix,
        ASKPROAI_TEST_REPORT_DIR: reportDir,
      },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward).on("SIGTERM", forward);
    child.on("exit", (code) => resolve(code ?? 1));
  });

/** Scratch databases of runs killed hours ago (their run id starts with a base-36 timestamp). */
const dropAbandoned = async () => {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${TEST_DB_PREFIX}%`]);
    const cutoff = Date.now() - 6 * 3_600_000;
    const stale = rows.map((r) => r.datname).filter((name) => {
      const stamp = parseInt(name.slice(TEST_DB_PREFIX.length, TEST_DB_PREFIX.length + 8), 36);
      return Number.isFinite(stamp) && stamp < cutoff;
    });
    for (const name of stale) await dropDatabase(name);
    if (stale.length) console.log(`▸ dropped ${stale.length} database(s) left by killed runs`);
  } finally {
    await client.end();
  }
};

let passed = 0;
let failed = 0;
let exitCode = 1;
try {
  await dropAbandoned().catch(() => undefined);
  console.log(`▸ building template database ${template} from the migrations…`);
  const started = Date.now();
  await createMigratedDatabase(template);
  console.log(`▸ template ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  exitCode = await turbo();
} catch (error) {
  console.error(`✗ ${(error as Error).message}`);
} finally {
  const dropped = await dropDatabasesWithPrefix(runPrefix).catch(() => []);
  console.log(`▸ dropped ${dropped.length} scratch database(s)`);
  for (const file of readdirSync(reportDir)) {
    const report = JSON.parse(readFileSync(join(reportDir, file), "utf8")) as { numPassedTests: number; numFailedTests: number };
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    console.log(`  ${file.replace(/\.json$/, "").padEnd(8)} ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  }
  rmSync(reportDir, { recursive: true, force: true });
}
if (passed + failed === 0) console.error("✗ no tests ran");
console.log(`Tests: ${passed} passed, ${failed} failed`);
process.exit(exitCode !== 0 || failed > 0 || passed === 0 ? 1 : 0);
