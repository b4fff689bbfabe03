/**
 * Holds: the slots check_availability just offered are kept for that call for a few minutes
 * (appointment_locks of kind `hold`, holder `call:<Retell call id>`), so neither another caller nor the
 * desk can take them while this caller decides. They are never offered to anyone else (availability
 * hides unexpired locks; every hold change raises the availability version in its own transaction, so
 * no cached answer shows a held slot as free) and they never block their own caller (the loader and
 * the booking's recheck skip the caller's holds; a booking of exactly the held slot converts the hold
 * into its lock). They end when the call books, when the call ends (call_ended webhook:
 * `releaseCallHolds`), or at expiry (the worker's lock sweep, which raises the version too).
 */
import { holdHolderOf, type OperationContext } from "../context.js";
import { poolOf, type Db } from "../client.js";
import { bumpAvailability } from "../availability/versions.js";
import { blockingSql } from "../booking/statuses.js";
import { inTransaction, params, type Queryable } from "../sql.js";

export const HOLD_TTL_MS = 4 * 60_000;

export interface HoldRequest {
  staffId: string;
  resourceId: string | null;
  start: number;
  /** End including the service's buffer after (what a booking's lock covers). */
  end: number;
  /** Start minus the buffer before: an appointment overlapping [blockedFrom, end) makes the slot unholdable. */
  blockedFrom: number;
}

export interface HeldSlot {
  id: string;
  staffId: string;
  start: number;
}

type Holding = Pick<OperationContext, "companyId" | "sql" | "correlationId" | "actor">;

const holderOf = (ctx: Holding) => {
  const holder = holdHolderOf(ctx.actor);
  if (!holder) throw new Error("holds belong to a voice call: the context's actor must be the voice agent");
  return holder;
};

/** SQL (over `alias` with staff_id, resource_id, starts_at/ends_at and blocked_from) true when another holder or an appointment has the time. */
const takenSql = (co: string, holder: string, s: string) => `(
  EXISTS (SELECT 1 FROM appointment_locks l
          WHERE l.company_id = ${co} AND l.expires_at > now() AND NOT (l.kind = 'hold' AND l.holder = ${holder})
            AND (l.staff_id = ${s}.staff_id OR (${s}.resource_id IS NOT NULL AND l.resource_id = ${s}.resource_id))
            AND l.starts_at < ${s}.ends_at AND l.ends_at > ${s}.starts_at)
  OR EXISTS (SELECT 1 FROM appointments a
             WHERE a.company_id = ${co} AND ${blockingSql("a")}
               AND (a.staff_id = ${s}.staff_id OR (${s}.resource_id IS NOT NULL AND a.resource_id = ${s}.resource_id))
               AND a.blocked_from < ${s}.ends_at AND a.blocked_until > ${s}.blocked_from))`;

/**
 * Holds `slots` for the call and releases the call's other holds (the caller now weighs these ones).
 * Answers the slots actually held: one that someone else took since it was computed is left out.
 * `branchIds` are the branches whose availability changes (the branch and every branch the staff
 * members and the call's earlier holds work at).
 */
export const holdSlots = async (ctx: Holding, branchId: string, slots: readonly HoldRequest[], branchIds: Iterable<string>): Promise<HeldSlot[]> => {
  const holder = holderOf(ctx);
  const unique = [...new Map(slots.map((s) => [`${s.staffId}:${s.start}`, s])).values()];
  const inserted = await ctx.sql.transaction(async (tx) => {
    // Raising the versions first locks the branch rows: hold changes touching the same branches queue
    // here, so the check below sees every hold committed before it.
    await bumpAvailability(tx, ctx.companyId, [branchId, ...branchIds, ...(await branchesOfHolds(tx, ctx.companyId, holder))]);
    const { values, p } = params();
    const co = p(ctx.companyId, "uuid");
    const h = p(holder);
    const text = `
      WITH wanted AS (
        SELECT * FROM unnest(${p(unique.map((s) => s.staffId), "uuid[]")}, ${p(unique.map((s) => s.resourceId), "uuid[]")},
          ${p(unique.map((s) => new Date(s.start)), "timestamptz[]")}, ${p(unique.map((s) => new Date(s.end)), "timestamptz[]")},
          ${p(unique.map((s) => new Date(s.blockedFrom)), "timestamptz[]")}) AS w(staff_id, resource_id, starts_at, ends_at, blocked_from)
      ), released AS (
        DELETE FROM appointment_locks l
        WHERE l.company_id = ${co} AND l.kind = 'hold' AND l.holder = ${h}
          AND NOT EXISTS (SELECT 1 FROM wanted w WHERE w.staff_id = l.staff_id AND w.starts_at = l.starts_at)
      )
      INSERT INTO appointment_locks (id, company_id, branch_id, staff_id, resource_id, starts_at, ends_at, expires_at, kind, holder, correlation_id)
      SELECT gen_random_uuid(), ${co}, ${p(branchId, "uuid")}, w.staff_id, w.resource_id, w.starts_at, w.ends_at,
             now() + ${p(HOLD_TTL_MS, "int")} * interval '1 millisecond', 'hold', ${h}, ${p(ctx.correlationId)}
      FROM wanted w
      WHERE NOT ${takenSql(co, h, "w")}
      ON CONFLICT (staff_id, starts_at) DO UPDATE
        SET company_id = EXCLUDED.company_id, branch_id = EXCLUDED.branch_id, resource_id = EXCLUDED.resource_id, ends_at = EXCLUDED.ends_at,
            expires_at = EXCLUDED.expires_at, kind = 'hold', holder = EXCLUDED.holder, correlation_id = EXCLUDED.correlation_id, created_at = now()
        -- the call's own hold is renewed; an expired lock of a process that died is taken over; anything else stays
        WHERE (appointment_locks.kind = 'hold' AND appointment_locks.holder = EXCLUDED.holder) OR appointment_locks.expires_at < now()
      RETURNING id, staff_id AS "staffId", starts_at AS "startsAt"`;
    const { rows } = await tx.query<{ id: string; staffId: string; startsAt: Date }>({ name: "askproai_hold_slots", text, values });
    return rows;
  });
  if (inserted.length === 0) return [];
  // A booking that took its slot lock before the statement above but had not committed is invisible to
  // it. Its lock (or, once committed, its appointment) is visible now: such a hold is given up, so a
  // hold the caller hears about can always be booked.
  const lost = await lostHolds(ctx, holder, inserted.map((r) => r.id));
  if (lost.length > 0) await releaseHolds(ctx, holder, lost);
  return inserted.filter((r) => !lost.includes(r.id)).map((r) => ({ id: r.id, staffId: r.staffId, start: r.startsAt.getTime() }));
};

const lostHolds = async (ctx: Holding, holder: string, ids: string[]) => {
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const h = p(holder);
  const text = `
    SELECT s.id FROM (
      SELECT id, staff_id, resource_id, starts_at, ends_at, starts_at AS blocked_from FROM appointment_locks
      WHERE company_id = ${co} AND id = ANY(${p(ids, "uuid[]")})
    ) s
    WHERE ${takenSql(co, h, "s")}`;
  const { rows } = await ctx.sql.query<{ id: string }>({ name: "askproai_lost_holds", text, values });
  return rows.map((r) => r.id);
};

/** The branches whose availability the holder's current holds affect. */
const branchesOfHolds = async (tx: Queryable, companyId: string, holder: string) => {
  const { rows } = await tx.query<{ branchId: string }>({
    name: "askproai_branches_of_holds",
    text: `SELECT DISTINCT sb.branch_id AS "branchId"
           FROM appointment_locks l JOIN staff_branches sb ON sb.company_id = l.company_id AND sb.staff_id = l.staff_id
           WHERE l.company_id = $1::uuid AND l.kind = 'hold' AND l.holder = $2`,
    values: [companyId, holder],
  });
  return rows.map((r) => r.branchId);
};

/** Deletes the holder's holds (all, or those with `ids`) and raises the versions of their branches, in one transaction. */
const releaseIn = async (tx: Queryable, companyId: string | null, holder: string, ids?: string[]) => {
  const { rows } = await tx.query<{ branchId: string; companyId: string }>({
    name: "askproai_release_holds",
    text: `WITH gone AS (
             DELETE FROM appointment_locks l
             WHERE l.kind = 'hold' AND l.holder = $1 AND ($2::uuid IS NULL OR l.company_id = $2::uuid) AND ($3::uuid[] IS NULL OR l.id = ANY($3::uuid[]))
             RETURNING l.company_id, l.staff_id
           )
           SELECT DISTINCT sb.branch_id AS "branchId", sb.company_id AS "companyId"
           FROM gone g JOIN staff_branches sb ON sb.company_id = g.company_id AND sb.staff_id = g.staff_id`,
    values: [holder, companyId, ids ?? null],
  });
  const byCompany = new Map<string, string[]>();
  for (const r of rows) byCompany.set(r.companyId, [...(byCompany.get(r.companyId) ?? []), r.branchId]);
  for (const [company, branches] of byCompany) await bumpAvailability(tx, company, branches);
  return rows.length;
};

const releaseHolds = (ctx: Holding, holder: string, ids?: string[]) => ctx.sql.transaction((tx) => releaseIn(tx, ctx.companyId, holder, ids));

/** Releases every hold of the acting call (it booked, or moved an appointment). */
export const releaseOwnHolds = async (ctx: Holding) => {
  await releaseHolds(ctx, holderOf(ctx));
};

/**
 * Releases every hold of a call: for the Retell `call_ended` processor, with the call's operation
 * context or, when the company is not known, the unscoped client (a call id names one call of one
 * company). Idempotent.
 */
export const releaseCallHolds = async (target: Db | Pick<OperationContext, "companyId" | "sql">, retellCallId: string): Promise<void> => {
  const holder = holdHolderOf({ type: "voice_agent", id: retellCallId })!;
  if ("sql" in target && "companyId" in target) {
    await target.sql.transaction((tx) => releaseIn(tx, target.companyId, holder));
    return;
  }
  await inTransaction(poolOf(target), (tx) => releaseIn(tx, null, holder));
};

/** The call's live holds (staff, start), for a booking that converts one. */
export const holdsOfCall = async (ctx: Holding) => {
  const { rows } = await ctx.sql.query<{ branchId: string; staffId: string; startsAt: Date }>({
    name: "askproai_holds_of_call",
    text: `SELECT branch_id AS "branchId", staff_id AS "staffId", starts_at AS "startsAt" FROM appointment_locks
           WHERE company_id = $1::uuid AND kind = 'hold' AND holder = $2 AND expires_at > now() ORDER BY starts_at`,
    values: [ctx.companyId, holderOf(ctx)],
  });
  return rows.map((r) => ({ branchId: r.branchId, staffId: r.staffId, start: r.startsAt.getTime() }));
};
