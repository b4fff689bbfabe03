/**
 * Availability versions: a counter per branch in PostgreSQL, raised in the SAME transaction as every
 * change that affects the branch's availability (bookings, moves, cancellations, holds, schedule
 * changes). Cached answers are keyed by the version read BEFORE their data was loaded, so:
 * - a read after a committed change sees the new version and misses every older entry;
 * - a read that loaded before a change committed stores its answer under the old version, where no
 *   reader looks any more (the "slow reader" race);
 * - nothing depends on Redis or on one process's memory: a Redis that fails, or another process, can
 *   never make an answer older than a committed booking look current.
 */
import type { Queryable } from "../sql.js";
import type { TenantDb } from "../tenant.js";

/** The branch's version, or null for a branch that does not exist for this company. */
export const readAvailabilityVersion = async (db: Queryable, companyId: string, branchId: string): Promise<string | null> => {
  const { rows } = await db.query<{ v: string }>({
    name: "askproai_availability_version",
    text: "SELECT availability_version::text AS v FROM branches WHERE id = $1::uuid AND company_id = $2::uuid",
    values: [branchId, companyId],
  });
  return rows[0]?.v ?? null;
};

/**
 * SQL that raises the version of the branches selected by `branchIdsSql` (a subquery or array
 * expression over the statement's parameters), locking them in id order so that concurrent bumps of
 * overlapping branch sets cannot deadlock. For use as a CTE inside a changing statement.
 * The lock is FOR NO KEY UPDATE (what the UPDATE takes anyway), not FOR UPDATE: a row inserted
 * earlier in the same transaction that references the branch (an exception, a weekly rule, an
 * appointment) holds the FOR KEY SHARE lock of its foreign-key check, and FOR UPDATE conflicts with
 * the other transaction's key-share lock (each waits for the other: 40P01, found by the fuzz walk).
 */
export const bumpVersionsCte = (co: string, branchIdsSql: string) => `
    bumped AS (
      UPDATE branches b SET availability_version = b.availability_version + 1
      FROM (SELECT id FROM branches WHERE company_id = ${co} AND id IN (${branchIdsSql}) ORDER BY id FOR NO KEY UPDATE) l
      WHERE b.id = l.id
      RETURNING b.id
    )`;

/** Raises the versions of these branches, inside the caller's transaction. */
export const bumpAvailability = async (tx: Queryable, companyId: string, branchIds: Iterable<string>) => {
  const ids = [...new Set(branchIds)];
  if (ids.length === 0) return;
  await tx.query({
    name: "askproai_bump_availability",
    text: `WITH ${bumpVersionsCte("$1::uuid", "SELECT unnest($2::uuid[])")} SELECT count(*) FROM bumped`,
    values: [companyId, ids],
  });
};

/** Every branch the staff member works at (a booking of theirs changes availability there too). */
export const staffBranchesSql = (co: string, staffIdSql: string) =>
  `SELECT branch_id FROM staff_branches WHERE company_id = ${co} AND staff_id = ${staffIdSql}`;

/** The same, as a statement of a Prisma batch transaction (schedule and set-up changes). */
export const bumpAvailabilityInPrisma = (db: Pick<TenantDb, "$executeRawUnsafe">, companyId: string, branchIds: Iterable<string>) =>
  db.$executeRawUnsafe(
    `WITH ${bumpVersionsCte("$1::uuid", "SELECT unnest($2::uuid[])")} SELECT count(*) FROM bumped`,
    companyId,
    [...new Set(branchIds)],
  );
