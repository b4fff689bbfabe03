/**
 * Vitest globalSetup shared by every package: makes sure a migrated template database exists for this
 * run. `npm test` (scripts/test.mjs) builds it once for all packages and passes its name in
 * ASKPROAI_TEST_TEMPLATE_DB; a package run on its own builds and drops its own.
 */
import type { TestProject } from "vitest/node";
import "./provided-context.js";
import { TEST_DB_PREFIX, createMigratedDatabase, dropDatabasesWithPrefix, newRunId } from "./databases.js";

export default async function setup(project: TestProject) {
  const given = process.env.ASKPROAI_TEST_TEMPLATE_DB;
  const runPrefix = process.env.ASKPROAI_TEST_RUN_PREFIX ?? `${TEST_DB_PREFIX}${newRunId()}_`;
  let template = given;
  if (!template) {
    template = `${runPrefix}template`;
    await createMigratedDatabase(template);
  }
  project.provide("templateDb", template);
  project.provide("runPrefix", runPrefix);
  return async () => {
    // The package's own clones, and its template when it built one itself.
    if (!given) await dropDatabasesWithPrefix(runPrefix);
  };
}

