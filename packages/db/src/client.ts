import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.js";

export { Prisma, PrismaClient } from "./generated/prisma/client.js";
export type * from "./generated/prisma/client.js";

export interface CreateDbOptions {
  url: string;
  poolSize?: number;
}

const pools = new WeakMap<object, pg.Pool>();

/**
 * The unscoped client. Only system code (login lookup, webhook intake, the worker's sweeps, seeding)
 * uses it directly; everything acting for a company goes through `forCompany()` in ./tenant.ts.
 *
 * Prisma and the few hot paths written in plain SQL (see ./sql.ts) share one pg pool.
 */
export const createDb = ({ url, poolSize = 20 }: CreateDbOptions) => {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000, allowExitOnIdle: true });
  // An idle connection dropped by the server must not crash the process; the next query reconnects.
  pool.on("error", () => undefined);
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(client, pool);
  return client;
};

export type Db = ReturnType<typeof createDb>;

/** The pg pool behind a client made by createDb. */
export const poolOf = (db: Db): pg.Pool => {
  const pool = pools.get(db);
  if (!pool) throw new Error("not a client made by createDb()");
  return pool;
};

/** Disconnects Prisma and ends the shared pool. */
export const closeDb = async (db: Db) => {
  await db.$disconnect();
  const pool = pools.get(db);
  if (pool && !pool.ended) await pool.end();
};
