/**
 * Scratch databases for tests. A run builds ONE template database from the migrations only
 * (`prisma migrate deploy`, exactly as production does), then every test file clones it
 * (CREATE DATABASE … TEMPLATE, ~100 ms) and drops its clone at the end.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import pg from "pg";

const run = promisify(execFile);
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), "../..");

export const adminUrl = (base = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/askproai") => {
  const url = new URL(base);
  url.pathname = "/postgres";
  return url.toString();
};

export const databaseUrl = (name: string, base?: string) => {
  const url = new URL(adminUrl(base));
  url.pathname = `/${name}`;
  return url.toString();
};

const withAdmin = async <T>(fn: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
};

const ident = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name: ${name}`);
  return `"${name}"`;
};

/** Creates an empty database and applies every migration with the Prisma CLI. */
export const createMigratedDatabase = async (name: string): Promise<string> => {
  await withAdmin((c) => c.query(`CREATE DATABASE ${ident(name)}`));
  const url = databaseUrl(name);
  try {
    await run("npx", ["prisma", "migrate", "deploy"], {
      cwd: packageRoot,
      env: { ...process.env, DATABASE_URL: url },
      maxBuffer: 10 * 1024 * 1024,
    });
  } catch (error) {
    await dropDatabase(name);
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`prisma migrate deploy failed for ${name}:\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
  return url;
};

export const cloneDatabase = async (template: string, name: string): Promise<string> => {
  await withAdmin((c) => c.query(`CREATE DATABASE ${ident(name)} TEMPLATE ${ident(template)}`));
  return databaseUrl(name);
};

export const dropDatabase = async (name: string) => {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
};

/** Drops every database whose name starts with `prefix` (end of a run, or leftovers of a killed one). */
export const dropDatabasesWithPrefix = async (prefix: string) => {
  const names = await withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
    return rows.map((r) => r.datname);
  });
  for (const name of names) await dropDatabase(name);
  return names;
};

export const newRunId = () => `${Date.now().toString(36)}${randomBytes(3).toString("hex")}`;
export const TEST_DB_PREFIX = "askproai_test_";

/**
 * Removes every Redis key under a prefix (a test file's, a bench run's): SCAN in batches, never KEYS,
 * and a Redis that does not answer fails at once instead of retrying.
 */
export const clearRedisPrefix = async (prefix: string, url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379") => {
  const { Redis } = await import("ioredis");
  // The failure reaches the caller through connect(); the event would only repeat it on stderr.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false }).on("error", () => undefined);
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
};
