/**
 * Slot locks (`appointment_locks`): a booking claims (staff member, start) for a short time before its
 * transaction, so that the losers of a contended slot answer at once without opening transactions of
 * their own. Holds (kind `hold`, voice calls, waitlist offers) live in the same table.
 */
import { notFound } from "@askproai/shared";
import { poolOf, type Db } from "../client.js";
import { classifyDbError } from "../errors.js";
import { holdHolderOf, type OperationContext } from "../context.js";
import { params } from "../sql.js";
import { blockingSql } from "./statuses.js";

export const BOOKING_LOCK_TTL_MS = 30_000;

export interface HeldLock {
  id: string;
}

/**
 * Claims (staff, start) for a short time; an expired claim (its process died) is taken over. `lock` is
 * null when the claim was not made; `taken` says an active appointment of the staff member overlaps
 * `blocked`, and `twin` whether this request's idempotency key is already booked or in flight, both
 * read in the same snapshot. A hold of the acting caller on exactly this slot is converted into the
 * booking's lock (the caller books what was held for it).
 */
export const acquireSlotLock = async (
  ctx: Pick<OperationContext, "companyId" | "sql" | "correlationId" | "actor">,
  args: {
    branchId: string;
    staffId: string;
    resourceId: string | null;
    start: Date;
    end: Date;
    holder: string;
    /** When given: do not even take the lock if an active appointment of the staff member overlaps this range. */
    blocked?: { from: Date; until: Date };
  },
): Promise<{ lock: HeldLock | null; taken: boolean; twin: "committed" | "in_flight" | null }> => {
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const staff = p(args.staffId, "uuid");
  const holder = p(args.holder);
  const text = `
    WITH taken AS (
      SELECT 1 FROM appointments a
      WHERE ${p(args.blocked !== undefined, "boolean")} AND a.company_id = ${co} AND a.staff_id = ${staff}
        AND ${blockingSql("a")}
        AND tstzrange(a.blocked_from, a.blocked_until) && tstzrange(${p(args.blocked?.from ?? null, "timestamptz")}, ${p(args.blocked?.until ?? null, "timestamptz")})
      LIMIT 1
    ), ins AS (
      -- DO NOTHING: a live lock is never row-locked by the requests that lose it, so they do not queue.
      INSERT INTO appointment_locks (id, company_id, branch_id, staff_id, resource_id, starts_at, ends_at, expires_at, kind, holder, correlation_id)
      SELECT gen_random_uuid(), ${co}, ${p(args.branchId, "uuid")}, ${staff}, ${p(args.resourceId, "uuid")},
             ${p(args.start, "timestamptz")}, ${p(args.end, "timestamptz")}, now() + ${p(BOOKING_LOCK_TTL_MS, "int")} * interval '1 millisecond',
             'booking', ${holder}, ${p(ctx.correlationId)}
      WHERE NOT EXISTS (SELECT 1 FROM taken)
      ON CONFLICT (staff_id, starts_at) DO NOTHING
      RETURNING id
    ), takeover AS (
      -- A lock whose holder died (expired, not yet swept) is taken over, and so is the caller's own hold.
      UPDATE appointment_locks
      SET company_id = ${co}, branch_id = ${p(args.branchId, "uuid")}, resource_id = ${p(args.resourceId, "uuid")},
          ends_at = ${p(args.end, "timestamptz")}, expires_at = now() + ${p(BOOKING_LOCK_TTL_MS, "int")} * interval '1 millisecond',
          kind = 'booking', holder = ${holder}, correlation_id = ${p(ctx.correlationId)}, created_at = now()
      WHERE staff_id = ${staff} AND starts_at = ${p(args.start, "timestamptz")}
        AND (expires_at < now() OR (kind = 'hold' AND company_id = ${co} AND holder = ${p(holdHolderOf(ctx.actor), "text")}))
        AND NOT EXISTS (SELECT 1 FROM ins) AND NOT EXISTS (SELECT 1 FROM taken)
      RETURNING id
    )
    -- From the same snapshot as "taken": is the taker this very request arriving twice (same key)?
    SELECT COALESCE((SELECT id FROM ins), (SELECT id FROM takeover)) AS id, EXISTS (SELECT 1 FROM taken) AS taken,
      EXISTS (SELECT 1 FROM appointments WHERE company_id = ${co} AND idempotency_key = ${holder}) AS "twinCommitted",
      EXISTS (SELECT 1 FROM appointment_locks WHERE company_id = ${co} AND holder = ${holder} AND expires_at > now()) AS "twinInFlight"`;
  const { rows } = await ctx.sql
    .query<{ id: string | null; taken: boolean; twinCommitted: boolean; twinInFlight: boolean }>({ name: "askproai_acquire_lock", text, values })
    .catch((error: unknown) => {
      // The lock references (staff_id, company_id): a staff id of another company, or none at all.
      if (classifyDbError(error).kind === "foreign_key") throw notFound("staff member");
      throw error;
    });
  const row = rows[0];
  const twin = row?.twinCommitted ? "committed" : row?.twinInFlight ? "in_flight" : null;
  return { lock: row?.id ? { id: row.id } : null, taken: row?.taken ?? false, twin };
};

export const releaseLock = async (ctx: Pick<OperationContext, "companyId" | "sql" | "log">, lock: HeldLock) => {
  await ctx.sql
    .query({ name: "askproai_release_lock", text: "DELETE FROM appointment_locks WHERE id = $1::uuid AND company_id = $2::uuid", values: [lock.id, ctx.companyId] })
    .catch((error: unknown) => {
      // It expires on its own; the worker sweeps it.
      ctx.log.warn({ err: error, lockId: lock.id }, "could not release slot lock");
    });
};

/**
 * Removes slot locks and holds whose time is up (a booking process that died half-way leaves its
 * lock behind; it stops hiding the slot at expiry and is swept here). An expired hold raises the
 * availability version of its staff member's branches in the same statement: answers cached while it
 * was live hid its slot, and must not go on hiding it. System-wide maintenance of the worker, hence
 * the unscoped client.
 */
export const purgeExpiredLocks = async (db: Db, now = new Date()) => {
  const { rows } = await poolOf(db).query<{ purged: number }>({
    name: "askproai_purge_expired_locks",
    text: `
      WITH gone AS (
        DELETE FROM appointment_locks WHERE expires_at < $1::timestamptz RETURNING company_id, staff_id, kind
      ), bumped AS (
        UPDATE branches b SET availability_version = b.availability_version + 1
        FROM (SELECT id FROM branches WHERE id IN (
                SELECT sb.branch_id FROM gone g JOIN staff_branches sb ON sb.company_id = g.company_id AND sb.staff_id = g.staff_id
                WHERE g.kind = 'hold')
              ORDER BY id FOR UPDATE) l
        WHERE b.id = l.id
        RETURNING b.id
      )
      SELECT (SELECT count(*) FROM gone)::int AS purged, (SELECT count(*) FROM bumped)::int AS bumped`,
    values: [now],
  });
  return rows[0]?.purged ?? 0;
};
