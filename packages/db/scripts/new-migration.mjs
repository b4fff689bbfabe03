#!/usr/bin/env node
// Creates prisma/migrations/<UTC timestamp>_<name>/migration.sql from the difference between
// schema.prisma as of the last commit that touched a migration and schema.prisma now.
// `prisma migrate dev` cannot run on these machines (no shadow database; see shared/notes/prisma-offline.md).
// Usage: npm run db:new-migration -- <name> [--empty]   (--empty: a folder for hand-written SQL)
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith("--"));
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:new-migration -- <name_in_snake_case> [--empty]");
  process.exit(2);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = join(root, "prisma/migrations", `${stamp}_${name}`);
const migrationsDir = join(root, "prisma/migrations");
mkdirSync(dir, { recursive: true });

if (args.includes("--empty")) {
  writeFileSync(join(dir, "migration.sql"), "-- hand-written migration\n");
  console.log(`created ${dir}/migration.sql (empty, for hand-written SQL)`);
  process.exit(0);
}

const hasMigrations = existsSync(migrationsDir) && readdirSync(migrationsDir).some((d) => /^\d{14}_/.test(d) && !dir.endsWith(d));
let from = ["--from-empty"];
if (hasMigrations) {
  // The schema as committed together with the newest migration.
  const rev = execFileSync("git", ["log", "-1", "--format=%H", "--", "prisma/migrations"], { cwd: root, encoding: "utf8" }).trim();
  if (!rev) {
    console.error("migrations exist but none is committed: commit the previous migration with its schema first");
    process.exit(1);
  }
  const old = execFileSync("git", ["show", `${rev}:./prisma/schema.prisma`], { cwd: root, encoding: "utf8" });
  const tmp = join(mkdtempSync(join(tmpdir(), "askproai-schema-")), "schema.prisma");
  writeFileSync(tmp, old);
  from = ["--from-schema-datamodel", tmp];
}
console.log(`diffing ${hasMigrations ? "last committed schema" : "empty database"} → prisma/schema.prisma …`);
execFileSync(
  "npx",
  ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", "prisma/schema.prisma", "--script", "-o", join(dir, "migration.sql")],
  { cwd: root, stdio: "inherit", // The JS engine opens a connection even for a schema-to-schema diff; it reads nothing from it.
    env: { ...process.env, DATABASE_URL: process.env.MIGRATION_DIFF_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" } },
);
console.log(`created ${dir}/migration.sql: read it, then commit it together with schema.prisma`);
