/**
 * The hold of a waitlist offer: an `appointment_locks` row of kind `hold` whose holder is the waiting
 * customer (`customer:<id>`), so neither the desk nor the voice agent nor another waiting customer is
 * offered the slot while the customer decides (availability hides unexpired locks). Placing and ending a
 * hold raise the availability version of the staff member's branches in the same transaction, else a
 * cached answer would go on showing the held slot as free (or a released one as taken). Booking the
 * held slot as that customer converts the hold into the booking's slot lock (booking/slot-lock.ts).
 * The voice agent's holds per call (voice/holds.ts) are the same kind of row with another holder.
 */
import { bumpAvailability } from "../availability/versions.js";
import { holdHolderOf, type OperationContext } from "../context.js";
import { blockingSql } from "../booking/statuses.js";
import { params, type Queryable } from "../sql.js";

/** The holder of a customer's holds: what the booking's slot lock converts for that customer. */
export const customerHolder = (customerId: string) => holdHolderOf({ type: "customer", id: customerId })!;

export interface OfferSlot {
  staffId: string;
  resourceId: string | null;
  start: number;
  /** The appointment's end (without buffers). */
  end: number;
  bufferBeforeMs: number;
  bufferAfterMs: number;
}

type Holding = Pick<OperationContext, "companyId" | "correlationId">;

/**
 * Inside the caller's transaction: holds the slot for the customer and records the offer, unless another
 * lock or an appointment has the time. Answers the offer id, or null when the slot is not free.
 * `branchIds` are the branches whose availability changes (every branch the staff member works at).
 */
export const placeOfferHold = async (
  tx: Queryable,
  ctx: Holding,
  args: { entryId: string; customerId: string; branchId: string; slot: OfferSlot; expiresAt: number; code: string; branchIds: string[] },
): Promise<string | null> => {
  // Raising the versions first locks the branch rows: hold changes of the same branches queue here, so
  // the check below sees every hold committed before it.
  await bumpAvailability(tx, ctx.companyId, [args.branchId, ...args.branchIds]);
  const { values, p } = params();
  const co = p(ctx.companyId, "uuid");
  const staff = p(args.slot.staffId, "uuid");
  const resource = p(args.slot.resourceId, "uuid");
  const start = p(new Date(args.slot.start), "timestamptz");
  const end = p(new Date(args.slot.end), "timestamptz");
  const blockedFrom = p(new Date(args.slot.start - args.slot.bufferBeforeMs), "timestamptz");
  const blockedUntil = p(new Date(args.slot.end + args.slot.bufferAfterMs), "timestamptz");
  const expires = p(new Date(args.expiresAt), "timestamptz");
  const text = `
    WITH hold AS (
      INSERT INTO appointment_locks (id, company_id, branch_id, staff_id, resource_id, starts_at, ends_at, expires_at, kind, holder, correlation_id)
      SELECT gen_random_uuid(), ${co}, ${p(args.branchId, "uuid")}, ${staff}, ${resource}, ${start}, ${blockedUntil}, ${expires}, 'hold',
             ${p(customerHolder(args.customerId))}, ${p(ctx.correlationId)}
      WHERE NOT EXISTS (
          SELECT 1 FROM appointment_locks l
          WHERE l.company_id = ${co} AND l.expires_at > now() AND (l.staff_id = ${staff} OR (${resource} IS NOT NULL AND l.resource_id = ${resource}))
            AND l.starts_at < ${blockedUntil} AND l.ends_at > ${start})
        AND NOT EXISTS (
          SELECT 1 FROM appointments a
          WHERE a.company_id = ${co} AND ${blockingSql("a")} AND (a.staff_id = ${staff} OR (${resource} IS NOT NULL AND a.resource_id = ${resource}))
            AND a.blocked_from < ${blockedUntil} AND a.blocked_until > ${blockedFrom})
      -- An expired lock of a process that died is taken over; a live one stays.
      ON CONFLICT (staff_id, starts_at) DO UPDATE
        SET company_id = EXCLUDED.company_id, branch_id = EXCLUDED.branch_id, resource_id = EXCLUDED.resource_id, ends_at = EXCLUDED.ends_at,
            expires_at = EXCLUDED.expires_at, kind = 'hold', holder = EXCLUDED.holder, correlation_id = EXCLUDED.correlation_id, created_at = now()
        WHERE appointment_locks.expires_at < now()
      RETURNING id
    ), offer AS (
      INSERT INTO waitlist_offers (id, company_id, entry_id, branch_id, staff_id, resource_id, starts_at, ends_at, expires_at, state, code,
        correlation_id, created_at, updated_at)
      SELECT gen_random_uuid(), ${co}, ${p(args.entryId, "uuid")}, ${p(args.branchId, "uuid")}, ${staff}, ${resource}, ${start}, ${end}, ${expires},
        'offered', ${p(args.code)}, ${p(ctx.correlationId)}, now(), now()
      FROM hold
      RETURNING id
    )
    SELECT (SELECT id FROM offer) AS "offerId"`;
  const { rows } = await tx.query<{ offerId: string | null }>({ name: "askproai_place_offer_hold", text, values });
  return rows[0]?.offerId ?? null;
};

/** Ends the hold of an offer (declined, expired, withdrawn), inside the caller's transaction. */
export const releaseOfferHold = async (tx: Queryable, companyId: string, offer: { customerId: string; staffId: string; startsAt: Date; branchId: string }) => {
  const { rows } = await tx.query<{ branchId: string }>({
    name: "askproai_release_offer_hold",
    text: `WITH gone AS (
             DELETE FROM appointment_locks
             WHERE company_id = $1::uuid AND kind = 'hold' AND holder = $2 AND staff_id = $3::uuid AND starts_at = $4::timestamptz
             RETURNING staff_id
           )
           SELECT sb.branch_id AS "branchId" FROM gone g JOIN staff_branches sb ON sb.company_id = $1::uuid AND sb.staff_id = g.staff_id`,
    values: [companyId, customerHolder(offer.customerId), offer.staffId, offer.startsAt],
  });
  if (rows.length > 0) await bumpAvailability(tx, companyId, [offer.branchId, ...rows.map((r) => r.branchId)]);
};

/**
 * A booking that took its slot lock before the hold's statement but had not committed was invisible to
 * it. Answers whether such a lock or appointment now overlaps the hold (then the offer is withdrawn).
 */
export const holdLost = async (ctx: Pick<OperationContext, "companyId" | "sql">, offerId: string): Promise<boolean> => {
  const { rows } = await ctx.sql.query<{ lost: boolean }>({
    name: "askproai_offer_hold_lost",
    text: `SELECT EXISTS (
             SELECT 1 FROM waitlist_offers o
             JOIN appointment_locks h ON h.company_id = o.company_id AND h.staff_id = o.staff_id AND h.starts_at = o.starts_at AND h.kind = 'hold'
             WHERE o.id = $1::uuid AND o.company_id = $2::uuid AND (
               EXISTS (SELECT 1 FROM appointment_locks l WHERE l.company_id = o.company_id AND l.id <> h.id AND l.expires_at > now()
                         AND (l.staff_id = o.staff_id OR (o.resource_id IS NOT NULL AND l.resource_id = o.resource_id))
                         AND l.starts_at < h.ends_at AND l.ends_at > h.starts_at)
               OR EXISTS (SELECT 1 FROM appointments a WHERE a.company_id = o.company_id AND ${blockingSql("a")}
                         AND (a.staff_id = o.staff_id OR (o.resource_id IS NOT NULL AND a.resource_id = o.resource_id))
                         AND a.blocked_from < h.ends_at AND a.blocked_until > h.starts_at))
           ) AS lost`,
    values: [offerId, ctx.companyId],
  });
  return rows[0]?.lost ?? false;
};
