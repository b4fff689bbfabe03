/**
 * Plain parameterised SQL for the hot paths (session check, availability load, the booking
 * transaction): a Prisma model query costs 0.5–1.2 ms of CPU here, the same statement through pg
 * ~0.17 ms (bench/README.md). Raw SQL bypasses the tenant extension, so every statement filters by
 * company_id itself; the integration tests check that.
 */
import type pg from "pg";

/** A pool or a checked-out client (inside a transaction). */
export type Queryable = Pick<pg.Pool | pg.PoolClient, "query">;

/** Builds `$n` placeholders in order, so a statement's text stays identical (prepared once per connection). */
export const params = () => {
  const values: unknown[] = [];
  const p = (value: unknown, cast?: string) => {
    values.push(value);
    return `$${values.length}${cast ? `::${cast}` : ""}`;
  };
  return { values, p };
};

/** Runs `fn` in one transaction on one connection; rolls back on any error. */
export const inTransaction = async <T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that cannot even roll back is not handed to the next caller.
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
};
